# Portico — the two commands of the README, and a few helpers.
.PHONY: run test build deps lint format check-examples storefront-check alloc-check bench

# Installs what is missing, builds, and runs the gateway on examples/demo.json with demo backends.
run: deps build
	scripts/demo.sh

# Suites whose assertions depend on timing under load (exactness against a real redis-server, concurrent
# probes): they run after the rest, one at a time, so the other suites' parallel load cannot skew them.
LOAD_SUITES = ClusterRateLimiterTests|RedisClientTests|RateLimitClusterTests|RateLimitRedisTests|CircuitBreakerConcurrencyIntegrationTests

# Runs the whole test suite: unit and integration tests, the formatter check, the example checks, the allocation
# gate, and the cluster suite (the compose/ topology as local processes, gateways without root capabilities).
test: deps
	swift build --build-tests
	swift test --skip-build --skip '$(LOAD_SUITES)'
	swift test --skip-build --no-parallel --filter '$(LOAD_SUITES)'
	$(MAKE) lint check-examples storefront-check alloc-check
	compose/run-local.sh --unprivileged

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

# The realistic example (examples/storefront.json) served for real and every endpoint checked over HTTP.
storefront-check: build
	examples/storefront-check.sh

# Heap allocations per proxied request must stay within bench/alloc-threshold.txt (deterministic, not timed).
alloc-check: build
	bench/alloc-count.sh --check

bench:
	bench/compare.sh
