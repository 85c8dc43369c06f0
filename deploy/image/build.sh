#!/usr/bin/env bash
# `make image`: builds the repository's Dockerfile with Podman and tags localhost/fxrates:dev.
#
# There is no registry here, so the two base images are local stand-ins made with debootstrap
# (deploy/image/base.sh, cached in Podman's storage), and the build stage resolves the Swift packages
# from the mirror at /opt/swift-packages, mounted read-only into every RUN of the build; the base image's
# /etc/gitconfig sends https://github.com/ there. The Dockerfile itself is the one `docker build .` uses.
#
# The build stage is built first (--target build) so its time, the in-container `swift build`, is
# measured apart; the second build reuses its layers. Prints the times, the image size and a breakdown
# of the size by layer, and checks that the binary finds every shared library it needs.
set -euo pipefail
LOG_TAG=image
# shellcheck source=deploy/image/lib.sh
source "$(dirname "$0")/lib.sh"
cd "$REPO_DIR"

start_all="$(now)"
rm -f "$SKIP_MARKER"
# Rootless Podman cannot debootstrap or use the root storage these scripts share: a skip, not a failure.
[[ "$(id -u)" == 0 ]] || skip_build "not root: the base images need debootstrap and Podman's root storage"
ensure_podman
[[ -d "$SWIFT_PACKAGES_MIRROR" ]] || die "no Swift package mirror at $SWIFT_PACKAGES_MIRROR"

# A cold build needs about 10 GB of Podman storage (the 4.1 GB Swift base and the build stage's layers).
storage="$(pm info --format '{{.Store.GraphRoot}}')"
mkdir -p "$storage"
free_gb="$(df --output=avail -BG "$storage" | tail -n 1 | tr -dc '0-9')"
if ((free_gb < ${FX_IMAGE_MIN_FREE_GB:-12})) && ! image_exists "$BASE_SWIFT_IMAGE"; then
    skip_build "only ${free_gb} GB free under $storage; a cold image build needs about 12 GB"
fi

"$IMAGE_DIR/base.sh"
bases_done="$(now)"
# The Dockerfile's RUN steps are containers: without them there is nothing to build.
if ! can_run_containers "$BASE_RUNTIME_IMAGE"; then
    skip_build "Podman cannot run containers on this machine (error above), so no image is built"
fi

revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD -- 2>/dev/null || revision="$revision-dirty"
build_args=(
    --format docker            # keeps HEALTHCHECK (and SHELL), which the OCI format has no field for
    --layers
    --build-arg "SWIFT_IMAGE=$BASE_SWIFT_IMAGE"
    --build-arg "RUNTIME_IMAGE=$BASE_RUNTIME_IMAGE"
    --build-arg "REVISION=$revision"
    --volume "$SWIFT_PACKAGES_MIRROR:$SWIFT_PACKAGES_MIRROR:ro"
    "${PODMAN_ULIMITS[@]}"
    --file Dockerfile
)

log "building the build stage (swift build -c release inside $BASE_SWIFT_IMAGE)"
pm build "${build_args[@]}" --target build --tag localhost/fxrates-build:dev . \
    || die "podman build of the build stage failed (output above)"
build_stage_done="$(now)"

log "building $FX_IMAGE"
pm build "${build_args[@]}" --tag "$FX_IMAGE" . || die "podman build failed (output above)"
image_done="$(now)"

# Every shared library the binary needs must be in the image. ldd is a shell script and the image has no
# shell, so ask the dynamic loader itself, as ldd would.
if ! libs="$(pm run --rm --no-healthcheck "${PODMAN_ULIMITS[@]}" --entrypoint /lib64/ld-linux-x86-64.so.2 \
    "$FX_IMAGE" --list /usr/local/bin/fxrates)"; then
    die "the dynamic loader cannot list the libraries of /usr/local/bin/fxrates in the image"
fi
if grep -q 'not found' <<<"$libs"; then
    printf '%s\n' "$libs" >&2
    die "the binary misses shared libraries in the image (above)"
fi

size="$(pm image inspect --format '{{.Size}}' "$FX_IMAGE")"
echo
echo "image $FX_IMAGE: $(human_bytes "$size") ($size bytes, uncompressed)"
echo "size by layer:"
pm history --format json "$FX_IMAGE" | python3 -c '
import json, sys
groups = {}
for layer in json.load(sys.stdin):
    step, size = layer.get("CreatedBy", ""), layer.get("size", 0)
    if "apt-get install" in step:
        name = "libraries: libhiredis0.14, libpq5 and its dependencies, ca-certificates"
    elif "/usr/local/bin" in step:
        name = "binary and resource bundles (/usr/local/bin)"
    elif "eurofxref-hist.zip" in step:
        name = "ECB history for imports (/usr/share/fxrates)"
    elif "imported from tarball" in layer.get("comment", ""):
        name = "base image (" + sys.argv[1] + ")"
    else:
        name = "metadata"
    groups[name] = groups.get(name, 0) + size
for name, size in sorted(groups.items(), key=lambda item: -item[1]):
    if size:
        print("  %8.1f MB  %s" % (size / 1e6, name))
' "$BASE_RUNTIME_IMAGE"
echo "shared libraries of /usr/local/bin/fxrates (none missing): $(awk '$2 == "=>" { printf "%s ", $1 }' <<<"$libs")"
echo "binary and resource bundles:"
pm run --rm --no-healthcheck "${PODMAN_ULIMITS[@]}" --entrypoint du "$FX_IMAGE" -ab --max-depth=1 /usr/local/bin \
    | awk '$2 != "/usr/local/bin" { printf "  %8.3f MB  %s\n", $1 / 1e6, $2 }'
echo
echo "times: base images $(elapsed "$start_all" "$bases_done") s, build stage (in-container swift build)" \
    "$(elapsed "$bases_done" "$build_stage_done") s, runtime stage $(elapsed "$build_stage_done" "$image_done") s," \
    "make image total $(elapsed "$start_all" "$(now)") s"
