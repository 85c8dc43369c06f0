# fxrates — the README's two commands are `make run` and `make test`; each does its own setup.
SWIFT ?= swift
PORT ?= 8080

.PHONY: run test build setup-build setup-test schemathesis bench clean

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

bench: setup-test
	loadtest/bench-convert.sh

clean:
	rm -rf .build .venv
