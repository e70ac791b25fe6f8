# Parley: make run starts the bot, make test runs every test, make bench measures, make fuzz fuzzes the parsers.
SHELL := /bin/bash
APT_PACKAGES := libedit-dev libjavascriptcoregtk-4.1-dev libsqlite3-dev pkg-config tmux chromium chromium-driver
SWIFT ?= swift
BOT ?= Dialogs
STATE ?= .parley

.PHONY: run test bench fuzz fuzz-build deps build lint clean $(addprefix fuzz-,$(FUZZ_TARGETS))

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
	$(SWIFT) build -c release --product parley
	$$($(SWIFT) build -c release --show-bin-path)/parley-bench --output .bench/results.json

# Coverage-guided fuzzing with libFuzzer: one executable per parser (Fuzz/Targets), built in its own scratch
# path with the fuzzer and AddressSanitizer, each run for FUZZ_SECONDS from its seeds in Fuzz/Corpus.
# A crashing input is written to Fuzz/Regressions/<target>/, which `make test` replays; `make -j2 fuzz`
# runs two targets at a time.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := soql sosl json dialog-yaml transcript template
FUZZ_SCRATCH := .build-fuzz
FUZZ_PRODUCT_soql := FuzzSOQL
FUZZ_PRODUCT_sosl := FuzzSOSL
FUZZ_PRODUCT_json := FuzzJSON
FUZZ_PRODUCT_dialog-yaml := FuzzDialogYAML
FUZZ_PRODUCT_transcript := FuzzTranscript
FUZZ_PRODUCT_template := FuzzTemplate

fuzz: $(addprefix fuzz-,$(FUZZ_TARGETS))

# `--sanitize=fuzzer` makes SwiftPM link libFuzzer's main; the sanitizers are also given to swiftc as one
# list because swiftc keeps only the last `-sanitize=` it is given, and SwiftPM's order varies between runs.
# gold warns about every AddressSanitizer helper symbol; the warnings are dropped, errors are not.
fuzz-build: deps
	@set -o pipefail; for product in $(foreach target,$(FUZZ_TARGETS),$(FUZZ_PRODUCT_$(target))); do \
		echo "Building $$product"; \
		PARLEY_FUZZ=1 $(SWIFT) build --scratch-path $(FUZZ_SCRATCH) --sanitize=fuzzer -Xswiftc -sanitize=fuzzer,address \
			-Xswiftc -enable-testing --product $$product 2>&1 | grep -v "Cannot export local symbol" || exit 1; \
	done

# Leak checks are off: Swift keeps enum case tags in the spare bits of pointers, so LeakSanitizer cannot follow
# references to indirect enum payloads and reports reachable memory (a parsed query in a cache) as leaked.
$(addprefix fuzz-,$(FUZZ_TARGETS)): fuzz-%: fuzz-build
	@mkdir -p $(FUZZ_SCRATCH)/corpus/$* Fuzz/Regressions/$*
	ASAN_OPTIONS=detect_leaks=0 $(FUZZ_SCRATCH)/debug/$(FUZZ_PRODUCT_$*) -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-rss_limit_mb=4096 -detect_leaks=0 -dict=Fuzz/Dictionaries/$*.dict -artifact_prefix=Fuzz/Regressions/$*/ \
		-print_final_stats=1 $(FUZZ_SCRATCH)/corpus/$* Fuzz/Corpus/$*

clean:
	rm -rf .build .bench $(FUZZ_SCRATCH)
