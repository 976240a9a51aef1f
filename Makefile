# The two commands of the README: `make run` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/scenepaint
SAMPLE ?= samples/lake.png
# The Python that runs python/tests (the ONNX export test, the PyTorch twin), e.g.
# make test PYTHON=/work/venv-torch/bin/python; empty: a venv .venv-test made with pip.
PYTHON ?=
# TORCH=1: also pip-install torch (CPU) into that venv, so the PyTorch twin's tests run.
TORCH ?= 0
# bash for pipefail: the test log is kept and its failures repeated at the end.
SHELL := /bin/bash

.PHONY: run test deps build clean fuzz

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product scenepaint

# Installs what is missing, builds in release mode, opens the editor on a bundled sample.
run: build
	$(RELEASE_BIN) edit $(SAMPLE)

# Installs what is missing and runs every test (unit, CLI, tmux end-to-end)
# in release mode: the numeric tests train small networks. The tests build in
# their own scratch path: `swift test` compiles every module with testing
# enabled, and sharing .build with the product made each rebuild the other
# from scratch on every run (4.5 minutes on two loaded cores).
TEST_BUILD := .build-test
test:
	@bash scripts/install-deps.sh --test
	$(SWIFT) build -c release --product scenepaint
	set -o pipefail; SCENEPAINT_BIN=$(CURDIR)/$(RELEASE_BIN) $(SWIFT) test -c release --scratch-path $(TEST_BUILD) --disable-swift-testing 2>&1 | tee .build/swift-test.log \
		|| { echo "=== failed tests (full log: .build/swift-test.log) ==="; grep -E ': error: |[)] failed [(]' .build/swift-test.log | cut -c1-2000; exit 1; }
	TORCH=$(TORCH) bash scripts/python-tests.sh $(CURDIR)/$(RELEASE_BIN) $(PYTHON)

# libFuzzer harnesses for the file readers (Fuzz/, docs/reliability.md): builds
# them with -sanitize=fuzzer,address into .build-fuzz and runs each for
# FUZZ_SECONDS on its seed corpus; exit 1 on a finding.
FUZZ_SECONDS ?= 30
fuzz: deps
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf .build $(TEST_BUILD) .build-fuzz
