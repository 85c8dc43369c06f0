# fxrates: the HTTP API in a Debian 12 image that holds the binary, its resource bundles, the two C
# libraries it links (libhiredis, libpq with its dependencies) and the CA certificates libpq's TLS needs.
#
#   docker build -t fxrates .                 # official images from Docker Hub, packages from GitHub
#   docker run --rm -p 8080:8080 fxrates      # the embedded ECB history, no PostgreSQL or Redis
#
# Both stages are Debian 12 (bookworm), so the binary built against the build stage's libhiredis and
# libpq finds the same sonames (libhiredis.so.0.14, libpq.so.5) at run time. `make image` builds this
# file unchanged with local stand-ins for both base images (deploy/image/build.sh).
ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim
# checkov:skip=CKV_DOCKER_7: both FROM lines take their image from the ARGs above, which name versioned tags (swift:6.3-bookworm, debian:bookworm-slim); checkov does not expand ARGs and reads "${SWIFT_IMAGE}" as an image without a tag

FROM ${SWIFT_IMAGE} AS build
# The headers and pkg-config data of the two C libraries (Package.swift's system library targets).
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        libhiredis-dev=0.14.* \
        libpq-dev=15.* \
        pkg-config=1.8.* \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Dependencies first, in their own layer: a change to the sources does not fetch them again.
# Package.resolved is not in the repository; SwiftPM resolves the manifest's ranges afresh.
COPY Package.swift ./
# The build-tool plugin the manifest names (the commit `fxrates --version` prints); small and rarely changed.
COPY Plugins ./Plugins
RUN swift package resolve
# Every directory the manifest names a target in (the benchmark and test targets too: SwiftPM checks
# that each target's sources exist before it builds anything).
COPY Sources ./Sources
COPY Tests ./Tests
COPY loadtest/redis-bench ./loadtest/redis-bench
COPY loadtest/reference ./loadtest/reference
# The Swift runtime and Foundation linked in, symbols stripped; the binary and every resource bundle
# (fxrates_FXCore.resources, …) go to /out, since Bundle.module looks next to the executable.
# The build context holds no .git, so the commit `fxrates --version` prints comes from this argument
# (deploy/image/build.sh passes `git rev-parse HEAD`); without it the binary says "unknown". Declared just
# before the build: a new commit rebuilds the binary (its --version changes) but no layer before it.
ARG REVISION=unknown
RUN FX_BUILD_COMMIT="${REVISION}" swift build -c release --static-swift-stdlib --product fxrates \
    && bin_path="$(swift build -c release --static-swift-stdlib --show-bin-path)" \
    && mkdir /out \
    && cp "$bin_path/fxrates" /out/fxrates \
    && strip /out/fxrates \
    && cp -R "$bin_path"/*.resources /out/

FROM ${RUNTIME_IMAGE}
# Only what the binary loads: ldd of the release binary lists libhiredis.so.0.14, libpq.so.5 and
# libcrypto.so.3 (libpq5 depends on libssl3, which holds it) beyond glibc, libstdc++ and zlib, which the
# base image has. Major versions pinned: Debian 12 ships security fixes under them.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates=202* \
        libhiredis0.14=0.14.* \
        libpq5=15.* \
    && rm -rf /var/lib/apt/lists/*
# No shell from here on: nothing in the image needs one (the entrypoint, the HEALTHCHECK and the Kubernetes
# preStop hook are exec forms or the kubelet's own), and code that gets to run in the container finds no
# sh to script with. Debug with an ephemeral container (`kubectl debug`) instead. The exec form needs no shell.
RUN ["rm", "-f", "/bin/sh", "/bin/dash", "/bin/bash", "/bin/rbash"]
COPY --from=build /out/ /usr/local/bin/
# The ECB history the migration Job imports (`fxrates import ecb /usr/share/fxrates/eurofxref-hist.zip`).
COPY data/eurofxref-hist.zip /usr/share/fxrates/eurofxref-hist.zip
# Listen on every interface of the container (the binary's default is 127.0.0.1).
ENV FX_HOST=0.0.0.0
# The API (FX_PORT, 8080 by default) and the Prometheus metrics on the port deploy/k8s and
# docker-compose.yml give FX_METRICS_PORT (9464). The image leaves FX_METRICS_PORT unset: without it
# /metrics is served on the API port, and a port the image chose could collide with a user's FX_PORT.
EXPOSE 8080 9464
# No account is created: a numeric user owns nothing in the image, so it can change nothing in it. The
# process writes nothing outside /tmp, so it runs with a read-only root file system (make image-test does).
USER 10001:10001
# For Docker and Compose users, who otherwise get no health status: `fxrates healthcheck` exits 0 when
# GET http://127.0.0.1:$FX_PORT/health answers 200 within 2 s, else 1, so the check needs no shell, curl
# or wget in the image. Kubernetes ignores HEALTHCHECK and uses the liveness (/health) and readiness
# (/ready) probes of deploy/k8s instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 CMD ["fxrates", "healthcheck"]
ENTRYPOINT ["fxrates"]
CMD ["serve"]
# Last, so that a new revision changes only this metadata and no layer before it.
ARG RUNTIME_IMAGE
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="fxrates" \
      org.opencontainers.image.description="Currency conversion and exchange rates HTTP API (ECB reference rates; PostgreSQL and Redis optional)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.base.name="${RUNTIME_IMAGE}"
