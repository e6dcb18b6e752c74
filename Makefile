# Portico — the two commands of the README, and a few helpers.
.PHONY: run test build deps lint format check-examples alloc-check bench

# Installs what is missing, builds, and runs the gateway on examples/demo.json with demo backends.
run: deps build
	scripts/demo.sh

# Runs the whole test suite (unit and integration), the formatter check and the example checks.
test: deps
	swift build --build-tests
	swift test --skip-build
	$(MAKE) lint check-examples alloc-check

deps:
	scripts/install-deps.sh

build:
	swift build

lint:
	swift format lint --strict --recursive --configuration .swift-format Sources Tests Package.swift

format:
	swift format --in-place --recursive --configuration .swift-format Sources Tests Package.swift

# Every bundled configuration must pass `portico check --strict`.
check-examples: build
	@for file in examples/*.json; do "$$(swift build --show-bin-path)/portico" check --strict -c "$$file" || exit 1; done

# Heap allocations per proxied request must stay within bench/alloc-threshold.txt (deterministic, not timed).
alloc-check: build
	bench/alloc-count.sh --check

bench:
	bench/compare.sh
