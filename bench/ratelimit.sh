#!/usr/bin/env bash
# What a rate limiter costs on the request path: the same endpoint without a limiter, with a local limiter
# (qos/ratelimit/router) and with the Redis limiter (qos/ratelimit/router/redis, per request and in lease mode),
# side by side in one run, with limits set so high that nothing is rejected.
#
# Starts nginx serving bench/data/ as the backend, a redis-server on a loopback port and Portico (1 event loop),
# then runs `wrk -t1 -c50` (throughput) and `wrk -t1 -c1` (latency) against each endpoint and prints a markdown
# table and the targets:
#   - the Redis limiter adds <= 0.25 ms p50 and <= 1 ms p99 over no limiter (1 connection)
#   - lease mode sends <= 0.05 Redis operations per admitted request (from redis-cli INFO commandstats)
#
# Usage: bench/ratelimit.sh [--quick] [--strict] [--duration SECONDS]
#   --quick        2 s runs after 1 s warm-up (a smoke run; numbers are noisy)
#   --strict       exit 1 when a target is missed (by default only errors fail the run)
# Environment:
#   PORTICO_BIN       a built `portico` (default: `swift build -c release --product portico` in the repo)
#   SWIFT_BUILD_ARGS  extra `swift build` arguments, e.g. "--scratch-path .build-bench"
#   DURATION (5 s), WARMUP (1 s), CONNECTIONS (50), BACKEND_PORT (18091), REDIS_PORT (18092), PORTICO_PORT (18090)
#   KEEP_TMP=1        keep the temp dir (configs, logs, raw wrk output) and print its path
# Needs nginx, wrk, curl, redis-server and redis-cli. Installs nothing, needs no root, writes only to a temp dir,
# and stops every process it started on exit, error or signal.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
DATA_DIR="$BENCH_DIR/data"

STRICT=0
DURATION="${DURATION:-5}"
WARMUP="${WARMUP:-1}"
CONNECTIONS="${CONNECTIONS:-50}"
BACKEND_PORT="${BACKEND_PORT:-18091}"
REDIS_PORT="${REDIS_PORT:-18092}"
PORTICO_PORT="${PORTICO_PORT:-18090}"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "ratelimit.sh: error: $*" >&2; exit 1; }
log() { echo "ratelimit.sh: $*" >&2; }
is_count() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }

while [ $# -gt 0 ]; do
    case "$1" in
    --quick) DURATION=2; WARMUP=1 ;;
    --strict) STRICT=1 ;;
    --duration) [ $# -ge 2 ] || die "--duration needs a value"; DURATION="$2"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
    shift
done
for setting in DURATION WARMUP CONNECTIONS BACKEND_PORT REDIS_PORT PORTICO_PORT; do
    is_count "${!setting}" || die "$setting must be a positive integer, got '${!setting}'"
done
# Bounded by construction: 8 runs of at most 60 s (+ warm-up) per invocation.
if [ "$DURATION" -gt 60 ] || [ "$WARMUP" -gt 30 ]; then die "DURATION must be at most 60 s, WARMUP at most 30 s"; fi

missing=()
for tool in nginx wrk curl redis-server redis-cli; do
    command -v "$tool" > /dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    die "missing ${missing[*]}; install with: apt-get install nginx-light wrk curl redis-server"
fi

# --- process bookkeeping: every process started is killed on any exit --------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/portico-ratelimit-bench.XXXXXX")"
STARTED_PIDS=()
WRK_PID=""

# shellcheck disable=SC2317 # stop_pid and cleanup run from the EXIT trap.
stop_pid() {
    local pid="$1" waited=0
    kill -0 "$pid" 2> /dev/null || return 0
    kill -TERM "$pid" 2> /dev/null || true
    while kill -0 "$pid" 2> /dev/null && [ "$waited" -lt 50 ]; do
        sleep 0.1
        waited=$((waited + 1))
    done
    kill -KILL "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
}

# shellcheck disable=SC2317
cleanup() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "$WRK_PID" ]; then stop_pid "$WRK_PID"; fi
    local pid
    for pid in "${STARTED_PIDS[@]+"${STARTED_PIDS[@]}"}"; do
        stop_pid "$pid"
    done
    if [ "${KEEP_TMP:-0}" = 1 ]; then
        log "kept $TMP"
    else
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() { (: < "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# wait_http URL PID LOG: until URL answers 200, failing early if PID dies.
wait_http() {
    local url="$1" pid="$2" logfile="$3" tries=0
    until curl -fsS -o /dev/null --max-time 1 "$url" 2> /dev/null; do
        if ! kill -0 "$pid" 2> /dev/null; then
            tail -n 20 "$logfile" >&2 2> /dev/null || true
            die "process $pid exited before $url answered (log above)"
        fi
        tries=$((tries + 1))
        [ "$tries" -le 150 ] || die "$url did not answer 200 within 15 s"
        sleep 0.1
    done
}

# --- nginx backend (as bench/compare.sh) ----------------------------------------------------------------------
nginx_temp_paths() {
    local dir="$1" flags
    flags="$(nginx -V 2>&1)"
    echo "    client_body_temp_path $dir/client_body;"
    echo "    proxy_temp_path $dir/proxy;"
    case "$flags" in *--without-http_fastcgi_module*) ;; *) echo "    fastcgi_temp_path $dir/fastcgi;" ;; esac
    case "$flags" in *--without-http_uwsgi_module*) ;; *) echo "    uwsgi_temp_path $dir/uwsgi;" ;; esac
    case "$flags" in *--without-http_scgi_module*) ;; *) echo "    scgi_temp_path $dir/scgi;" ;; esac
}
nginx_user_line() {
    if [ "$(id -u)" = 0 ]; then echo "user $(id -un) $(id -gn);"; fi
}

start_backend() {
    local dir="$TMP/backend"
    mkdir -p "$dir"
    cat > "$dir/nginx.conf" << EOF_NGINX
# Generated by bench/ratelimit.sh for the backend.
$(nginx_user_line)
worker_processes 1;
daemon off;
master_process on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events {
    worker_connections 4096;
}
http {
    access_log off;
    default_type application/json;
    sendfile on;
    tcp_nodelay on;
    keepalive_timeout 300s;
    keepalive_requests 1000000;
$(nginx_temp_paths "$dir")
    server {
        listen 127.0.0.1:$BACKEND_PORT backlog=4096;
        root $DATA_DIR;
        etag off;
        location / {
            try_files \$uri =404;
        }
    }
}
EOF_NGINX
    nginx -t -q -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" > "$dir/check.log" 2>&1 \
        || { cat "$dir/check.log" "$dir/error.log" >&2 2> /dev/null; die "nginx rejected $dir/nginx.conf"; }
    nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" > "$dir/stdout.log" 2>&1 &
    STARTED_PIDS+=("$!")
    BACKEND_PID=$!
}

# --- wrk ----------------------------------------------------------------------------------------------------
run_wrk() { # OUTFILE CONNECTIONS SECONDS URL
    wrk -t1 -c"$2" -d"$3s" --latency "$4" > "$1" 2>&1 &
    WRK_PID=$!
    wait "$WRK_PID" || die "wrk failed: $(cat "$1")"
    WRK_PID=""
}

# parse_wrk FILE → "requests req_per_s p50_us p99_us errors"
parse_wrk() {
    awk '
        function us(v) {
            if (v ~ /us$/) return v + 0
            if (v ~ /ms$/) return (v + 0) * 1000
            if (v ~ /m$/) return (v + 0) * 60000000
            if (v ~ /s$/) return (v + 0) * 1000000
            return v + 0
        }
        / requests in / { requests = $1 }
        /^Requests\/sec:/ { rate = $2 }
        $1 == "50%" { p50 = us($2) }
        $1 == "99%" { p99 = us($2) }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
        END { printf "%d %.2f %.1f %.1f %d\n", requests, rate, p50, p99, errors }
    ' "$1"
}

redis_script_calls() { # total EVALSHA + EVAL calls since the last CONFIG RESETSTAT
    redis-cli -p "$REDIS_PORT" INFO commandstats | tr -d '\r' \
        | awk -F'[:=,]' '/^cmdstat_(evalsha|eval):/ { total += $3 } END { print total + 0 }'
}

# measure NAME PATH CONNECTIONS: one warmed-up run; prints "requests req/s p50 p99 errors redis_calls".
measure() {
    local name="$1" url="http://127.0.0.1:$PORTICO_PORT$2" connections="$3" run
    run="$TMP/wrk/$name-c$connections.txt"
    run_wrk "$run.warmup" "$connections" "$WARMUP" "$url"
    redis-cli -p "$REDIS_PORT" CONFIG RESETSTAT > /dev/null
    run_wrk "$run" "$connections" "$DURATION" "$url"
    echo "$(parse_wrk "$run") $(redis_script_calls)"
}

# --- set-up -------------------------------------------------------------------------------------------------
mkdir -p "$TMP/wrk"
for port in "$BACKEND_PORT" "$REDIS_PORT" "$PORTICO_PORT"; do
    ! port_in_use "$port" || die "port $port is in use (set BACKEND_PORT / REDIS_PORT / PORTICO_PORT)"
done

if [ -z "${PORTICO_BIN:-}" ]; then
    log "building portico (swift build -c release --product portico ${SWIFT_BUILD_ARGS:-})"
    # shellcheck disable=SC2086 # SWIFT_BUILD_ARGS is a list of arguments.
    (cd "$REPO_DIR" && swift build -c release --product portico ${SWIFT_BUILD_ARGS:-}) >&2
    # shellcheck disable=SC2086
    PORTICO_BIN="$(cd "$REPO_DIR" && swift build -c release --show-bin-path ${SWIFT_BUILD_ARGS:-})/portico"
fi
[ -x "$PORTICO_BIN" ] || die "PORTICO_BIN=$PORTICO_BIN is not an executable"

log "starting nginx backend on 127.0.0.1:$BACKEND_PORT and redis-server on 127.0.0.1:$REDIS_PORT"
start_backend
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no > "$TMP/redis.log" 2>&1 &
STARTED_PIDS+=("$!")
wait_http "http://127.0.0.1:$BACKEND_PORT/backend-838.json" "$BACKEND_PID" "$TMP/backend/error.log"
tries=0
until redis-cli -p "$REDIS_PORT" PING > /dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -le 100 ] || die "redis-server did not answer within 10 s: $(cat "$TMP/redis.log")"
    sleep 0.1
done

# Limits far above what one event loop can serve: the limiter decides every request and rejects none.
endpoint() { # PATH EXTRA_CONFIG
    printf '{"endpoint": "%s", "backend": [{"host": ["http://127.0.0.1:%s"], "url_pattern": "/backend-838.json"}], "extra_config": {%s}}' \
        "$1" "$BACKEND_PORT" "$2"
}
CLUSTER='"connection_name": "bench", "max_rate": 10000000, "capacity": 10000000, "every": "1s"'
cat > "$TMP/portico.json" << EOF
{
  "version": 3,
  "name": "portico-ratelimit-bench",
  "port": $PORTICO_PORT,
  "extra_config": {
    "router": {"disable_access_log": true},
    "redis": {"connection_pools": [{"name": "bench", "address": "127.0.0.1:$REDIS_PORT", "pool_size": 2}]}
  },
  "endpoints": [
    $(endpoint /plain ''),
    $(endpoint /local '"qos/ratelimit/router": {"max_rate": 10000000, "capacity": 10000000}'),
    $(endpoint /redis "\"qos/ratelimit/router/redis\": {$CLUSTER}"),
    $(endpoint /redis-lease "\"qos/ratelimit/router/redis\": {$CLUSTER, \"lease_tokens\": 100, \"lease_duration\": \"50ms\"}")
  ]
}
EOF

log "starting $PORTICO_BIN run -c $TMP/portico.json --event-loops 1"
"$PORTICO_BIN" run -c "$TMP/portico.json" --event-loops 1 > "$TMP/portico.log" 2>&1 &
PORTICO_PID=$!
STARTED_PIDS+=("$PORTICO_PID")
wait_http "http://127.0.0.1:$PORTICO_PORT/plain" "$PORTICO_PID" "$TMP/portico.log"
for path in /local /redis /redis-lease; do
    body="$(curl -fsS "http://127.0.0.1:$PORTICO_PORT$path")" || die "GET $path failed"
    case "$body" in *'"username":"jdoe"'*) ;; *) die "GET $path answered: $body" ;; esac
done

# --- runs ---------------------------------------------------------------------------------------------------
log "${DURATION}s per run after ${WARMUP}s warm-up; wrk -t1 -c$CONNECTIONS and -c1"
declare -A RESULT
for name in plain local redis redis-lease; do
    for connections in "$CONNECTIONS" 1; do
        RESULT["$name-$connections"]="$(measure "$name" "/$name" "$connections")"
        log "  /$name c$connections: ${RESULT["$name-$connections"]} (requests req/s p50µs p99µs errors redis-calls)"
    done
done

# --- report -------------------------------------------------------------------------------------------------
field() { awk -v i="$2" '{ print $i }' <<< "${RESULT[$1]}"; }
fmt_us() { awk -v v="$1" 'BEGIN { if (v >= 1000) printf "%.2f ms", v / 1000; else printf "%.0f µs", v }'; }
ops_ratio() { awk -v c="$(field "$1" 6)" -v n="$(field "$1" 1)" 'BEGIN { if (n == 0) print "nan"; else printf "%.4f", c / n }'; }

echo
echo "### Rate limiter cost: Portico, 1 event loop, 838-byte JSON from nginx, ${DURATION}s runs"
echo
echo "Machine: $(nproc) cores, $(uname -sr), $(redis-server --version | awk '{ print $1, $2, $3 }'), $(date -u +%Y-%m-%d)."
echo
echo "| endpoint | req/s (c$CONNECTIONS) | p50 (c$CONNECTIONS) | p99 (c$CONNECTIONS) | req/s (c1) | p50 (c1) | p99 (c1) | Redis ops / request | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
ERRORS=0
for name in plain local redis redis-lease; do
    high="$name-$CONNECTIONS"
    one="$name-1"
    errors=$(($(field "$high" 5) + $(field "$one" 5)))
    [ "$errors" = 0 ] || ERRORS=1
    # shellcheck disable=SC2016 # the backquotes are markdown, not a command substitution.
    printf '| `/%s` | %.0f | %s | %s | %.0f | %s | %s | %s | %s |\n' "$name" "$(field "$high" 2)" \
        "$(fmt_us "$(field "$high" 3)")" "$(fmt_us "$(field "$high" 4)")" "$(field "$one" 2)" \
        "$(fmt_us "$(field "$one" 3)")" "$(fmt_us "$(field "$one" 4)")" "$(ops_ratio "$high")" "$errors"
done
echo

MISSED=0
check() { # LABEL VALUE LIMIT UNIT
    local verdict
    if awk -v v="$2" -v l="$3" 'BEGIN { exit !(v <= l) }'; then verdict="PASS"; else verdict="MISS"; MISSED=1; fi
    echo "- $1: $2$4 (target <= $3$4) — $verdict"
}
added() { awk -v a="$(field "$1" "$3")" -v b="$(field "$2" "$3")" 'BEGIN { printf "%.0f", a - b }'; }
echo "### Targets"
echo
check "Redis limiter added p50, 1 connection" "$(added redis-1 plain-1 3)" 250 " µs"
check "Redis limiter added p99, 1 connection" "$(added redis-1 plain-1 4)" 1000 " µs"
echo "- At $CONNECTIONS connections the Redis limiter adds $(added "redis-$CONNECTIONS" "plain-$CONNECTIONS" 3) µs p50 and $(added "redis-$CONNECTIONS" "plain-$CONNECTIONS" 4) µs p99; the local limiter adds $(added "local-$CONNECTIONS" "plain-$CONNECTIONS" 3) µs p50."
check "Lease mode Redis operations per admitted request (c$CONNECTIONS)" "$(ops_ratio "redis-lease-$CONNECTIONS")" 0.05 ""
[ "$ERRORS" = 0 ] || echo "- Some runs had non-2xx answers or socket errors (column 'errors'); their numbers are suspect."
echo

[ "$ERRORS" = 0 ] || exit 1
[ "$STRICT" = 0 ] || [ "$MISSED" = 0 ] || exit 1
exit 0
