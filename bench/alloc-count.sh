#!/usr/bin/env bash
# Heap allocations per proxied request, counted (not timed): Portico runs twice with a malloc-counting
# LD_PRELOAD library (bench/malloc-counter.c; valgrind 3.19 cannot run Swift 6.3 binaries), serving N1 and then
# N2 keep-alive requests to a single-backend JSON endpoint; the difference of the two totals divided by N2-N1
# cancels start-up and shutdown. With --check, fails when the figure exceeds the
# committed threshold in bench/alloc-threshold.txt (one line per build configuration: "debug 123").
#
#   bench/alloc-count.sh [--check] [--release]
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
configuration=debug
for arg in "$@"; do
    case "$arg" in
        --check) check=1 ;;
        --release) configuration=release ;;
        *) echo "usage: $0 [--check] [--release]" >&2; exit 2 ;;
    esac
done
command -v cc >/dev/null || { echo "a C compiler is missing: apt-get install gcc" >&2; exit 2; }
command -v curl >/dev/null || { echo "curl is missing: apt-get install curl" >&2; exit 2; }

swift build -c "$configuration" --product portico >/dev/null
swift build -c "$configuration" --product portico-mock-backend >/dev/null
bin="$(swift build -c "$configuration" --show-bin-path)"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

cc -shared -fPIC -O2 -o "$work/malloc-counter.so" bench/malloc-counter.c
backend_port="${ALLOC_BACKEND_PORT:-18391}"
gateway_port="${ALLOC_GATEWAY_PORT:-18392}"
cat >"$work/routes.json" <<JSON
[{"method": "GET", "path": "/users/{id}", "body_file": "$PWD/bench/data/backend-838.json"}]
JSON
cat >"$work/portico.json" <<JSON
{"version": 3, "port": $gateway_port, "host": ["http://127.0.0.1:$backend_port"],
 "extra_config": {"router": {"disable_access_log": true}},
 "endpoints": [{"endpoint": "/users/{id}", "backend": [{"url_pattern": "/users/{id}"}]}]}
JSON
"$bin/portico-mock-backend" --port "$backend_port" --routes "$work/routes.json" >"$work/backend.log" 2>&1 &
pids+=($!)

# Prints the total allocation count of one Portico run that served $1 requests.
count_allocations() {
    local requests=$1 log="$work/count-$1" out="$work/portico-$1.log"
    LD_PRELOAD="$work/malloc-counter.so" MALLOC_COUNT_FILE="$log" \
        "$bin/portico" run -c "$work/portico.json" --event-loops 1 --log-level info >"$out" 2>&1 &
    local pid=$!
    for _ in $(seq 1 600); do
        grep -q "Portico listening" "$out" 2>/dev/null && break
        sleep 0.1
    done
    grep -q "Portico listening" "$out" || { echo "portico did not start:" >&2; cat "$out" >&2; exit 1; }
    : >"$work/urls-$requests"
    for _ in $(seq 1 "$requests"); do
        echo "url = \"http://127.0.0.1:$gateway_port/users/7\"" >>"$work/urls-$requests"
        echo "output = \"/dev/null\"" >>"$work/urls-$requests"
    done
    curl -s --fail -K "$work/urls-$requests"
    kill -TERM "$pid"
    wait "$pid" || true
    cat "$log"
}

n1=200
n2=1200
a1=$(count_allocations $n1)
a2=$(count_allocations $n2)
per_request=$(( (a2 - a1) / (n2 - n1) ))
echo "allocations per proxied request ($configuration): $per_request  (runs: $n1 → $a1, $n2 → $a2)"

if [ "$check" -eq 1 ]; then
    threshold=$(awk -v c="$configuration" '$1 == c {print $2}' bench/alloc-threshold.txt)
    [ -n "$threshold" ] || { echo "no threshold for $configuration in bench/alloc-threshold.txt" >&2; exit 2; }
    if [ "$per_request" -gt "$threshold" ]; then
        echo "FAIL: $per_request allocations per request exceed the committed threshold $threshold" >&2
        exit 1
    fi
    echo "OK: within the committed threshold $threshold"
fi
