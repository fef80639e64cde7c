# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
GODOWN_DEBUG := $(TARGET_DIR)/debug/godown
GODOWN_RELEASE := $(TARGET_DIR)/release/godown

.PHONY: demo test fmt-check clippy purity vectors rust-tests frontend-deps frontend-test frontend-build e2e bench fuzz fuzz-smoke

## demo: install the dashboard's packages, build it and the release binary, and run a demo consortium
demo: frontend-build
	$(CARGO) build --locked --release --bin godown
	$(GODOWN_RELEASE) demo --frontend frontend/dist

## test: everything CI checks: formatting, lints, purity, Rust tests (SQLite and PostgreSQL),
## the dashboard's unit tests, and the browser tests against a real node
test: fmt-check clippy purity vectors rust-tests fuzz-smoke frontend-test e2e

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

# The parsers of outside bytes, fuzzed with cargo-fuzz (libFuzzer). On
# stable Rust cargo-fuzz needs RUSTC_BOOTSTRAP for its -Z flags. Our code is
# safe Rust, so a panic is what is sought: no sanitizer, for speed.
FUZZ_TARGETS := entry checkpoint tlog_proof jcs tx_body policy add_checkpoint export_line
FUZZ_SECONDS ?= 60
FUZZ := RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$(abspath $(TARGET_DIR))/fuzz $(CARGO) fuzz run --fuzz-dir tests/fuzz -O --sanitizer none

## fuzz: run each fuzz target for FUZZ_SECONDS (60) from the seeds in
## tests/fuzz/corpus; what it learns is kept in tests/fuzz/corpus-grown (not
## committed), a crash in tests/fuzz/artifacts (copy it into corpus/ when fixed)
fuzz:
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	for t in $(FUZZ_TARGETS); do \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
	  mkdir -p tests/fuzz/corpus-grown/$$t; \
	  $(FUZZ) $$t tests/fuzz/corpus-grown/$$t tests/fuzz/corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) > "$$log" 2>&1; status=$$?; \
	  grep -E '^Done|panicked|SUMMARY|Test unit written' "$$log"; \
	  [ $$status -eq 0 ] || { echo "fuzz: $$t found a crash (tests/fuzz/artifacts/$$t)"; exit 1; }; \
	done

## fuzz-smoke: every saved input as a regression test, then five seconds of
## each target on a copy of its corpus
fuzz-smoke:
	cd tests/fuzz && CARGO_TARGET_DIR=$(abspath $(TARGET_DIR))/fuzz-tests $(CARGO) test --quiet
	@scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	for t in $(FUZZ_TARGETS); do \
	  mkdir -p "$$scratch/$$t" && cp tests/fuzz/corpus/$$t/* "$$scratch/$$t/"; \
	  $(FUZZ) $$t "$$scratch/$$t" -- -max_total_time=5 > "$$scratch/log" 2>&1; status=$$?; \
	  echo "fuzz-smoke $$t: $$(grep -E '^Done' "$$scratch/log")"; \
	  [ $$status -eq 0 ] || { cat "$$scratch/log"; exit 1; }; \
	done

## bench: the ledger figures recorded in docs/BENCHMARKS.md
bench:
	$(CARGO) bench --locked -p godown-ledger
