#!/usr/bin/env bash
# Runs examples/storefront.json for real: three mock backends, one `portico` process, and an HTTP check of every
# endpoint (examples/storefront_check.py). `make test` runs it; it exits non-zero on the first failed check.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="${PORTICO_BIN_DIR:-$(swift build --show-bin-path)}"
port="${STOREFRONT_PORT:-18080}"
logs="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

"$bin/portico-mock-backend" --port 9101 --routes examples/storefront-backends/catalog.json >"$logs/catalog.log" 2>&1 &
pids+=($!)
"$bin/portico-mock-backend" --port 9102 --routes examples/storefront-backends/orders.json >"$logs/orders.log" 2>&1 &
pids+=($!)
"$bin/portico-mock-backend" --port 9103 --routes examples/storefront-backends/reviews.json >"$logs/reviews.log" 2>&1 &
pids+=($!)
"$bin/portico" run -c examples/storefront.json --port "$port" >"$logs/portico.log" 2>&1 &
pids+=($!)

if ! python3 examples/storefront_check.py "http://127.0.0.1:$port"; then
  echo "--- portico log ($logs/portico.log) ---"
  tail -n 40 "$logs/portico.log"
  exit 1
fi
