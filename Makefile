# The two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: test fmt-check clippy purity vectors rust-tests bench

## test: everything CI checks (formatting, lints, purity, all tests)
test: fmt-check clippy purity vectors rust-tests

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

rust-tests:
	$(CARGO) test --locked --workspace

## bench: the ledger figures recorded in docs/BENCHMARKS.md
bench:
	$(CARGO) bench --locked -p godown-ledger
