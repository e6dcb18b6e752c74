#!/usr/bin/env bash
# Starts the bundled demo: two mock backends and Portico on examples/demo.json (port 8080). Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$(swift build --show-bin-path)"
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

"$bin/portico-mock-backend" --demo users --port 9001 & pids+=($!)
"$bin/portico-mock-backend" --demo orders --port 9002 & pids+=($!)
"$bin/portico-mock-backend" --demo catalog --port 9003 & pids+=($!)

cat <<'TXT'
Portico demo on http://localhost:8080 — try:
  curl -s localhost:8080/users/1            # proxied endpoint
  curl -s localhost:8080/users/1/summary    # aggregated: user + orders merged
  curl -s localhost:8080/users/1/card       # manipulated: allow / mapping / group / target
  curl -s localhost:8080/categories         # target: a nested object extracted
  curl -s -i localhost:8080/recommendations # slow backend: 504 after the 1s endpoint timeout
  curl -s localhost:8080/catalog            # is_collection + json-collection output
  curl -s localhost:8080/__health
TXT
"$bin/portico" run -c examples/demo.json "$@" & pids+=($!)
wait "${pids[-1]}"
