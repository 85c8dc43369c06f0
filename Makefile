# fxrates — the README's two commands are `make run` and `make test`; each does its own setup.
SWIFT ?= swift

.PHONY: run test build setup-build setup-test deploy-validate image image-test bench bench-cluster bench-redis-cluster \
	loadtest chaos chaos-smoke fuzz fxload-test fxload-ceiling docs-screenshot clean

run: setup-build
	$(SWIFT) run fxrates serve

# The image is built and tested last: a cold build takes most of the run (see the README's Deploy section).
test: setup-test
	$(SWIFT) build --build-tests
	deploy/image/lint.sh
	deploy/validate.sh
	scripts/validate-openapi.sh
	scripts/run-schemathesis.sh
	scripts/run-docs-browser-test.sh
	scripts/run-fuzz.sh
	scripts/run-swift-tests.sh
	$(MAKE) chaos-smoke
	$(MAKE) fxload-test
	deploy/image/build.sh
	deploy/image/test.sh

build: setup-build
	$(SWIFT) build -c release

setup-build:
	scripts/setup.sh build

setup-test:
	scripts/setup.sh test

# Every offline check of the Dockerfile, deploy/k8s and docker-compose.yml.
deploy-validate:
	deploy/image/lint.sh
	deploy/validate.sh

# The container image (Dockerfile), built and tested with Podman: local debootstrap base images, no registry.
image:
	deploy/image/build.sh

image-test: image
	deploy/image/test.sh

# Benchmarks and chaos scenarios: on request only, all on 127.0.0.1, bounded in time.
bench: setup-test
	loadtest/bench-convert.sh

bench-cluster: setup-test
	loadtest/bench-cluster.sh

bench-redis-cluster: setup-test
	loadtest/bench-redis-cluster.sh

# A 60 s open-model mixed run through HAProxy on a 3-replica cluster of the release build, with thresholds.
loadtest: setup-test
	loadtest/chaos load

# Every chaos scenario (loadtest/chaos), one summary table; about 12 minutes on a quiet machine.
chaos: setup-test
	loadtest/chaos all

# make test's smoke: the debug build make test has already built, a 3-replica cluster, a short load run with
# thresholds, limit-exactness, drain-replica and redis-replaced.
chaos-smoke: setup-test
	$(SWIFT) build --product fxrates
	FX_CLUSTER_BUILD=debug FX_CHAOS_RATE=100 FX_CHAOS_LOAD_SECONDS=10 FX_CHAOS_MAX_P99_MS=250 loadtest/chaos smoke

# fxload, the open-model load generator (its own package under loadtest/fxload): its unit tests (and those of
# fxfault, the fault proxy in the same package), and the highest rate it drives against the bare Hummingbird
# app, beside wrk.
fxload-test:
	$(SWIFT) test --package-path loadtest/fxload

fxload-ceiling: setup-test
	loadtest/fxload-ceiling.sh

# The raw-socket fuzzer for 10 minutes against the debug build (its assertions on); `make test` runs 45 s.
fuzz: setup-test
	$(SWIFT) build --product fxrates
	FX_FUZZ_SECONDS=600 scripts/run-fuzz.sh

# /docs in headless Chromium, as `make test` checks it, with a PNG of the page (the README's picture).
docs-screenshot: setup-test
	$(SWIFT) build --product fxrates
	FX_DOCS_SCREENSHOT=$(CURDIR)/docs/docs-screenshot.png scripts/run-docs-browser-test.sh

clean:
	rm -rf .build .venv .venv-deploy
