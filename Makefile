# fxrates — the README's two commands are `make run` and `make test`; each does its own setup.
SWIFT ?= swift

.PHONY: run test build setup-build setup-test bench bench-cluster chaos clean

run: setup-build
	$(SWIFT) run fxrates serve

test: setup-test
	$(SWIFT) build --build-tests
	scripts/run-schemathesis.sh
	scripts/run-swift-tests.sh

build: setup-build
	$(SWIFT) build -c release

setup-build:
	scripts/setup.sh build

setup-test:
	scripts/setup.sh test

# Benchmarks and chaos scenarios: on request only, all on 127.0.0.1, bounded in time.
bench: setup-test
	loadtest/bench-convert.sh

bench-cluster: setup-test
	loadtest/bench-cluster.sh

chaos: setup-test
	loadtest/chaos-redis.sh

clean:
	rm -rf .build .venv
