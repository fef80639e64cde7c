# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
GODOWN_DEBUG := $(TARGET_DIR)/debug/godown
GODOWN_RELEASE := $(TARGET_DIR)/release/godown

.PHONY: demo test fmt-check clippy purity vectors rust-tests frontend-deps frontend-test frontend-build e2e bench

## demo: install the dashboard's packages, build it and the release binary, and run a demo consortium
demo: frontend-build
	$(CARGO) build --locked --release --bin godown
	$(GODOWN_RELEASE) demo --frontend frontend/dist

## test: everything CI checks: formatting, lints, purity, Rust tests (SQLite and PostgreSQL),
## the dashboard's unit tests, and the browser tests against a real node
test: fmt-check clippy purity vectors rust-tests frontend-test e2e

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --locked --workspace --all-targets -- -D warnings

purity:
	scripts/check-purity.sh

## vectors: the conformance vectors in the repository match ../shared/vectors
vectors:
	@if [ -d ../shared/vectors ]; then \
	  diff -r ../shared/vectors ledger/tests/vectors && diff ../shared/FORMATS.md docs/FORMATS.md \
	    && echo "vectors: identical to ../shared/vectors and ../shared/FORMATS.md"; \
	else echo "vectors: ../shared/vectors not present; using the copy in ledger/tests/vectors"; fi

## rust-tests: PostgreSQL runs where TEST_DATABASE_URL points, else on a throwaway cluster
rust-tests:
	$(CARGO) test --locked --workspace

frontend-deps:
	@if [ ! -d frontend/node_modules ] || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then \
	  cd frontend && npm ci --no-audit --no-fund; \
	fi

frontend-test: frontend-deps
	$(CARGO) build --locked --bin godown
	cd frontend && GODOWN_BIN="$(abspath $(GODOWN_DEBUG))" npm test

frontend-build: frontend-deps
	cd frontend && npm run build

## e2e: headless Chromium drives the dashboard against a real `godown demo`
e2e: frontend-build
	$(CARGO) build --locked --bin godown
	cd frontend && GODOWN_BIN="$(abspath $(GODOWN_DEBUG))" npm run e2e

## bench: the ledger figures recorded in docs/BENCHMARKS.md
bench:
	$(CARGO) bench --locked -p godown-ledger
