#!/usr/bin/env bash
# Builds the two local base images that stand in for Docker Hub's on a machine without a registry:
#
#   localhost/fxrates-base/debian:bookworm-slim   like debian:bookworm-slim: debootstrap --variant=minbase,
#                                                 then the slimming debuerreotype applies to the official one
#   localhost/fxrates-base/swift:6.3-bookworm     like swift:6.3-bookworm: Debian 12 with the packages the
#                                                 Swift toolchain needs, the toolchain of /opt/swift on PATH,
#                                                 and an /etc/gitconfig sending https://github.com/ to the
#                                                 package mirror that `make image` mounts at /opt/swift-packages
#
# An image already in Podman's storage is kept (FX_REBUILD_BASE=1 rebuilds both). Prints the time of each
# debootstrap. Runs as root (debootstrap and Podman's root storage).
set -euo pipefail
LOG_TAG=base-images
# shellcheck source=deploy/image/lib.sh
source "$(dirname "$0")/lib.sh"

[[ "$(id -u)" == 0 ]] || die "debootstrap needs root; run as root"
ensure_packages debootstrap podman runc debian-archive-keyring

# The packages of the official swift:6.3-bookworm image (swiftlang/swift-docker, debian 12), plus the
# certificates git needs for https. libncurses-dev is not optional: swift, swiftc and swift-build link
# libncurses.so.6 ("swift: error while loading shared libraries: libncurses.so.6" without it).
SWIFT_BASE_PACKAGES=(binutils git gnupg2 libc6-dev libcurl4-openssl-dev libedit2 libgcc-12-dev
    libncurses-dev libpython3-dev libsqlite3-0 libstdc++-12-dev libxml2-dev libz3-dev pkg-config tzdata
    zlib1g-dev ca-certificates)

work=""
cleanup() {
    if [[ -n "$work" && -d "$work" ]]; then
        # debootstrap mounts /proc and /sys inside the tree; never delete through a mount.
        { findmnt -rn -o TARGET | grep -F "$work/" || true; } | sort -r | while read -r mnt; do umount -l "$mnt" || true; done
        rm -rf --one-file-system "$work"
    fi
}
trap cleanup EXIT

# debootstrap into a fresh directory: the suite, then extra debootstrap options.
bootstrap() {
    local root="$1"; shift
    log "debootstrap bookworm into $root $*"
    if ! debootstrap --variant=minbase --arch=amd64 "$@" bookworm "$root" "$DEBIAN_MIRROR" \
        >"$work/debootstrap.log" 2>&1; then
        tail -n 30 "$work/debootstrap.log" >&2
        die "debootstrap failed (log above)"
    fi
}

# What the official Debian images set up after debootstrap (debuerreotype-minimizing-config and the
# deb822 sources of debian:bookworm), so apt-get in a derived image behaves as it does there.
configure_apt() {
    local root="$1"
    rm -f "$root/etc/apt/sources.list"
    cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
    cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
    echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/docker-no-languages"
    echo 'Acquire::GzipIndexes "true";' >"$root/etc/apt/apt.conf.d/docker-gzip-indexes"
    echo 'Apt::AutoRemove::SuggestsImportant "false";' >"$root/etc/apt/apt.conf.d/docker-autoremove-suggests"
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
}

# debootstrap installs from bookworm alone; the official images also carry bookworm-updates and
# bookworm-security, so upgrade from them (with the host's resolv.conf that debootstrap copied in).
upgrade() {
    local root="$1"
    mount -t proc proc "$root/proc"
    if ! { chroot "$root" apt-get update -qq \
        && DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get upgrade -y -qq; } >"$work/upgrade.log" 2>&1; then
        umount "$root/proc"
        tail -n 30 "$work/upgrade.log" >&2
        die "apt-get upgrade in the new tree failed (log above)"
    fi
    umount "$root/proc"
}

# Podman provides hostname and resolv.conf at run time; the host's must not stay in the image.
finish() {
    local root="$1"
    rm -f "$root/etc/hostname" "$root/etc/resolv.conf"
    : >"$root/etc/machine-id"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
        "$root"/var/log/*.log "$root"/var/log/apt/* "$root"/tmp/* "$root"/var/tmp/*
}

# debuerreotype-slimify: no documentation, manuals or locales, now and in every later dpkg install.
slim_dpkg_config() {
    cat >"$1/etc/dpkg/dpkg.cfg.d/docker" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
DPKG
}
slimify() {
    local root="$1"
    find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
    find "$root/usr/share/doc" -mindepth 1 -type d -empty -delete
    rm -rf "$root"/usr/share/groff/* "$root"/usr/share/info/* "$root"/usr/share/linda/* \
        "$root"/usr/share/lintian/overrides/* "$root"/usr/share/locale/* "$root"/usr/share/man/*
}

# Turns the tree into an image: podman import of a tarball.
import_tree() {
    local root="$1" tag="$2"; shift 2
    tar --numeric-owner --xattrs -C "$root" -c . | pm import -q "$@" - "$tag" >/dev/null
    log "imported $tag ($(pm image inspect --format '{{.Size}}' "$tag" | xargs -I{} numfmt --to=si --suffix=B {}))"
}

build_runtime_base() {
    local root="$work/runtime" start
    start="$(now)"
    bootstrap "$root"
    local took; took="$(elapsed "$start" "$(now)")"  # debootstrap alone
    configure_apt "$root"
    slim_dpkg_config "$root"
    upgrade "$root"
    slimify "$root"
    finish "$root"
    import_tree "$root" "$BASE_RUNTIME_IMAGE" \
        --change 'CMD ["bash"]' \
        --change 'LABEL org.opencontainers.image.description=Debian 12 (bookworm) minbase, slimmed like debian:bookworm-slim; built locally with debootstrap'
    rm -rf --one-file-system "$root"
    log "runtime base: debootstrap ${took} s, total $(elapsed "$start" "$(now)") s"
}

build_swift_base() {
    [[ -x "$SWIFT_TOOLCHAIN/usr/bin/swift" ]] || die "no Swift toolchain at $SWIFT_TOOLCHAIN/usr/bin/swift"
    local root="$work/swift" start
    start="$(now)"
    bootstrap "$root" --include="$(IFS=,; echo "${SWIFT_BASE_PACKAGES[*]}")"
    local took; took="$(elapsed "$start" "$(now)")"  # debootstrap alone
    configure_apt "$root"
    upgrade "$root"
    finish "$root"
    # The build stage resolves https://github.com/... from the mirror that `podman build -v` mounts here.
    cat >"$root/etc/gitconfig" <<GIT
[url "$SWIFT_PACKAGES_MIRROR/"]
	insteadOf = https://github.com/
	insteadOf = git@github.com:
	insteadOf = ssh://git@github.com/
GIT
    mkdir -p "$root/opt"
    # Hard links: same file system, no copy; tar reads the files either way.
    cp -al "$SWIFT_TOOLCHAIN" "$root/opt/swift" 2>/dev/null || cp -a "$SWIFT_TOOLCHAIN" "$root/opt/swift"
    import_tree "$root" "$BASE_SWIFT_IMAGE" \
        --change 'ENV PATH=/opt/swift/usr/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' \
        --change 'LABEL org.opencontainers.image.description=Debian 12 (bookworm) with the Swift toolchain of the host (/opt/swift), standing in for swift:6.3-bookworm; built locally with debootstrap'
    rm -rf --one-file-system "$root"
    log "swift base: debootstrap ${took} s, total $(elapsed "$start" "$(now)") s"
}

work="$(mktemp -d "${TMPDIR:-/var/tmp}/fxrates-base.XXXXXX")"
for tag in "$BASE_RUNTIME_IMAGE" "$BASE_SWIFT_IMAGE"; do
    if [[ "${FX_REBUILD_BASE:-0}" == 1 ]] && image_exists "$tag"; then
        pm rmi -f "$tag" >/dev/null
    fi
done
if image_exists "$BASE_RUNTIME_IMAGE"; then
    log "$BASE_RUNTIME_IMAGE exists; kept"
else
    build_runtime_base
fi
if image_exists "$BASE_SWIFT_IMAGE"; then
    log "$BASE_SWIFT_IMAGE exists; kept"
else
    build_swift_base
fi
