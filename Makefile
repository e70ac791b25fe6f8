# Parley: make run starts the bot, make test runs every test, make bench measures.
SHELL := /bin/bash
APT_PACKAGES := libedit-dev libjavascriptcoregtk-4.1-dev libsqlite3-dev pkg-config tmux chromium chromium-driver
SWIFT ?= swift
BOT ?= Dialogs
STATE ?= .parley

.PHONY: run test bench deps build lint clean

# Installs the Debian packages Parley needs, or says exactly how to.
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
		else \
			echo "Parley needs these Debian packages:$$missing"; \
			echo "Install them with: sudo apt-get install -y$$missing"; \
			exit 1; \
		fi; \
	fi

build: deps
	$(SWIFT) build

run: build
	$(SWIFT) run --skip-build parley chat --bot $(BOT) --state $(STATE)

lint: build
	$(SWIFT) run --skip-build parley lint $(BOT)

# A test run that hangs fails after TEST_TIMEOUT seconds instead of holding CI until its own limit.
TEST_TIMEOUT ?= 1800
test: deps
	$(SWIFT) build --build-tests
	@timeout --kill-after=30 $(TEST_TIMEOUT) $(SWIFT) test --skip-build; status=$$?; \
	if [ $$status -eq 124 ] || [ $$status -eq 137 ]; then echo "The tests did not finish within $(TEST_TIMEOUT) s."; fi; \
	exit $$status

bench: deps
	$(SWIFT) build -c release --product parley-bench
	$$($(SWIFT) build -c release --show-bin-path)/parley-bench --output .bench/results.json

clean:
	rm -rf .build .bench
