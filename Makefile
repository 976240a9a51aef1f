# The two commands of the README: `make run` and `make test`.
SWIFT ?= swift
RELEASE_BIN := .build/release/scenepaint
SAMPLE ?= samples/lake.png

.PHONY: run test deps build clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product scenepaint

# Installs what is missing, builds in release mode, opens the editor on a bundled sample.
run: build
	$(RELEASE_BIN) edit $(SAMPLE)

# Installs what is missing and runs every test (unit, CLI, tmux end-to-end)
# in release mode: the numeric tests train small networks.
test:
	@bash scripts/install-deps.sh --test
	$(SWIFT) build -c release --product scenepaint
	SCENEPAINT_BIN=$(CURDIR)/$(RELEASE_BIN) $(SWIFT) test -c release --disable-swift-testing

clean:
	rm -rf .build
