#!/usr/bin/env bash
# Portico vs nginx on the same machine, in the same run.
#
# Starts nginx serving bench/data/ as the backend, an nginx reverse proxy in front of it (1 worker, upstream
# keep-alive) and Portico (1 event loop, bench/portico-bench.json), then runs `wrk -t1 -c50` against each in
# interleaved rounds and prints a markdown table (req/s, p50, p99, CPU µs per request, RSS) and the ratios against
# the targets:
#   - Portico plain proxy >= 0.8 x nginx proxy req/s
#   - Portico 3-backend merge >= 0.4 x Portico plain proxy req/s
#   - Portico's added p50 latency at 1 connection <= 60 µs over the backend direct
#
# Usage: bench/compare.sh [--only-nginx] [--quick] [--strict] [--rounds N] [--duration SECONDS]
#   --only-nginx   measure the backend and the nginx proxy only (no Portico build or run)
#   --quick        1 round of 3 s (a smoke run; numbers are noisy)
#   --strict       exit 1 when a target is missed (by default only errors fail the run)
# Environment:
#   PORTICO_BIN       a built `portico` (default: `swift build -c release --product portico` in the repo)
#   SWIFT_BUILD_ARGS  extra `swift build` arguments, e.g. "--scratch-path .build-bench"
#   ROUNDS (3), DURATION (10 s), WARMUP (2 s), CONNECTIONS (50), LATENCY_DURATION (5 s)
#   BACKEND_PORT (18081), NGINX_PROXY_PORT (18082), PORTICO_PORT (8080)
#   KEEP_TMP=1        keep the temp dir (nginx confs, logs, raw wrk output) and print its path
# Needs nginx, wrk and curl (apt-get install nginx-light wrk curl). Installs nothing, needs no root, writes only
# to a temp dir, and stops every process it started on exit, error or signal.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$BENCH_DIR")"
DATA_DIR="$BENCH_DIR/data"

ONLY_NGINX=0
STRICT=0
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-2}"
CONNECTIONS="${CONNECTIONS:-50}"
LATENCY_DURATION="${LATENCY_DURATION:-5}"
BACKEND_PORT="${BACKEND_PORT:-18081}"
NGINX_PROXY_PORT="${NGINX_PROXY_PORT:-18082}"
PORTICO_PORT="${PORTICO_PORT:-8080}"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "compare.sh: error: $*" >&2; exit 1; }
log() { echo "compare.sh: $*" >&2; }
is_count() { [[ "$1" =~ ^[1-9][0-9]*$ ]]; }

while [ $# -gt 0 ]; do
    case "$1" in
    --only-nginx) ONLY_NGINX=1 ;;
    --quick) ROUNDS=1; DURATION=3; WARMUP=1; LATENCY_DURATION=2 ;;
    --strict) STRICT=1 ;;
    --rounds) [ $# -ge 2 ] || die "--rounds needs a value"; ROUNDS="$2"; shift ;;
    --duration) [ $# -ge 2 ] || die "--duration needs a value"; DURATION="$2"; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
    shift
done
for setting in ROUNDS DURATION WARMUP CONNECTIONS LATENCY_DURATION BACKEND_PORT NGINX_PROXY_PORT PORTICO_PORT; do
    is_count "${!setting}" || die "$setting must be a positive integer, got '${!setting}'"
done
# Bounded by construction: at most 10 rounds of at most 60 s per run.
[ "$ROUNDS" -le 10 ] || die "ROUNDS must be at most 10"
if [ "$DURATION" -gt 60 ] || [ "$LATENCY_DURATION" -gt 60 ] || [ "$WARMUP" -gt 30 ]; then
    die "DURATION and LATENCY_DURATION must be at most 60 s, WARMUP at most 30 s"
fi

missing=()
for tool in nginx wrk curl; do
    command -v "$tool" > /dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    die "missing ${missing[*]}; install with: apt-get install nginx-light wrk curl"
fi
[ -r /proc/self/stat ] || die "needs Linux /proc for CPU and RSS readings"
CLK_TCK="$(getconf CLK_TCK)"

# --- process bookkeeping: every process started is killed on any exit --------------------------------------
TMP="$(mktemp -d "${TMPDIR:-/tmp}/portico-bench.XXXXXX")"
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

# --- nginx --------------------------------------------------------------------------------------------------
# Debian's nginx has absolute compile-time temp paths under /var/lib/nginx; point every one that this build has
# at the temp dir so nginx runs unprivileged.
nginx_temp_paths() {
    local dir="$1" flags
    flags="$(nginx -V 2>&1)"
    echo "    client_body_temp_path $dir/client_body;"
    echo "    proxy_temp_path $dir/proxy;"
    case "$flags" in *--without-http_fastcgi_module*) ;; *) echo "    fastcgi_temp_path $dir/fastcgi;" ;; esac
    case "$flags" in *--without-http_uwsgi_module*) ;; *) echo "    uwsgi_temp_path $dir/uwsgi;" ;; esac
    case "$flags" in *--without-http_scgi_module*) ;; *) echo "    scgi_temp_path $dir/scgi;" ;; esac
}

# As root, nginx would hand its workers to `nobody`; keep them as the current user like everything else here.
nginx_user_line() {
    if [ "$(id -u)" = 0 ]; then echo "user $(id -un) $(id -gn);"; fi
}

write_nginx_conf() { # NAME PORT SERVER_BLOCK_BODY [HTTP_EXTRA]
    local name="$1" port="$2" body="$3" extra="${4:-}" dir="$TMP/$1"
    mkdir -p "$dir"
    cat > "$dir/nginx.conf" << EOF
# Generated by bench/compare.sh for the $name.
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
$extra
    server {
        listen 127.0.0.1:$port backlog=4096;
$body
    }
}
EOF
}

start_nginx() { # NAME VARIABLE: starts nginx in the foreground of a background job; VARIABLE gets its master PID
    local dir="$TMP/$1"
    nginx -t -q -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" > "$dir/check.log" 2>&1 \
        || { cat "$dir/check.log" "$dir/error.log" >&2 2> /dev/null; die "nginx rejected $dir/nginx.conf"; }
    nginx -p "$dir/" -c "$dir/nginx.conf" -e "$dir/error.log" > "$dir/stdout.log" 2>&1 &
    STARTED_PIDS+=("$!")
    printf -v "$2" '%s' "$!"
}

# --- /proc readings -----------------------------------------------------------------------------------------
# Sum of utime+stime (clock ticks) of PID and its children (nginx's workers), all threads included.
tree_ticks() {
    local root="$1" total=0 stat line pid fields
    for stat in /proc/[0-9]*/stat; do
        read -r line 2> /dev/null < "$stat" || continue
        pid="${stat#/proc/}"
        pid="${pid%/stat}"
        # Fields after the command name, which may contain spaces: state ppid ... utime(12th) stime(13th).
        read -r -a fields <<< "${line##*) }"
        if [ "$pid" = "$root" ] || [ "${fields[1]}" = "$root" ]; then
            total=$((total + fields[11] + fields[12]))
        fi
    done
    echo "$total"
}

# Resident memory of PID and its children, in KiB.
tree_rss_kib() {
    local root="$1" total=0 status pid ppid rss
    for status in /proc/[0-9]*/status; do
        pid="${status#/proc/}"
        pid="${pid%/status}"
        ppid="$(awk '/^PPid:/ {print $2}' "$status" 2> /dev/null)" || continue
        if [ "$pid" = "$root" ] || [ "$ppid" = "$root" ]; then
            rss="$(awk '/^VmRSS:/ {print $2}' "$status" 2> /dev/null)" || rss=0
            total=$((total + ${rss:-0}))
        fi
    done
    echo "$total"
}

# --- wrk ----------------------------------------------------------------------------------------------------
# run_wrk OUTFILE CONNECTIONS SECONDS URL — in the background so a signal reaches the traps at once.
run_wrk() {
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

# measure NAME URL PID CONNECTIONS SECONDS: one warmed-up run, appended to $TMP/results/NAME.
measure() {
    local name="$1" url="$2" pid="$3" connections="$4" seconds="$5" run before after parsed requests cpu
    run="$TMP/wrk/$name.$(date +%s%N).txt"
    run_wrk "$run.warmup" "$connections" "$WARMUP" "$url"
    before="$(tree_ticks "$pid")"
    run_wrk "$run" "$connections" "$seconds" "$url"
    after="$(tree_ticks "$pid")"
    parsed="$(parse_wrk "$run")"
    requests="${parsed%% *}"
    [ "${requests:-0}" -gt 0 ] || die "wrk made no requests to $url: $(cat "$run")"
    cpu="$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", t * 1000000 / hz / n }')"
    # columns: req/s p50 p99 cpu errors
    echo "${parsed#* } $cpu" | awk '{ print $1, $2, $3, $5, $4 }' >> "$TMP/results/$name"
    log "  $name: $(awk '{ printf "%s req/s, p50 %s us, p99 %s us, %s us CPU/req, %s errors", $1, $2, $3, $4, $5 }' <<< "$(tail -n 1 "$TMP/results/$name")")"
}

# median NAME COLUMN over the rounds of NAME.
median() {
    local file="$TMP/results/$1"
    [ -s "$file" ] || { echo "nan"; return; }
    sort -g -k"$2,$2" "$file" | awk -v c="$2" '{ v[NR] = $c } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

total_errors() { awk '{ s += $5 } END { print s + 0 }' "$TMP/results/$1" 2> /dev/null || echo 0; }

# --- set-up -------------------------------------------------------------------------------------------------
mkdir -p "$TMP/results" "$TMP/wrk"
ports=("$BACKEND_PORT" "$NGINX_PROXY_PORT")
[ "$ONLY_NGINX" = 1 ] || ports+=("$PORTICO_PORT")
for port in "${ports[@]}"; do
    ! port_in_use "$port" || die "port $port is in use (set BACKEND_PORT / NGINX_PROXY_PORT / PORTICO_PORT)"
done

if [ "$ONLY_NGINX" = 0 ]; then
    if [ -z "${PORTICO_BIN:-}" ]; then
        log "building portico (swift build -c release --product portico ${SWIFT_BUILD_ARGS:-})"
        # shellcheck disable=SC2086 # SWIFT_BUILD_ARGS is a list of arguments.
        (cd "$REPO_DIR" && swift build -c release --product portico ${SWIFT_BUILD_ARGS:-}) >&2
        # shellcheck disable=SC2086
        PORTICO_BIN="$(cd "$REPO_DIR" && swift build -c release --show-bin-path ${SWIFT_BUILD_ARGS:-})/portico"
    fi
    [ -x "$PORTICO_BIN" ] || die "PORTICO_BIN=$PORTICO_BIN is not an executable"
fi

write_nginx_conf backend "$BACKEND_PORT" "        root $DATA_DIR;
        etag off;
        location / {
            try_files \$uri =404;
        }"
write_nginx_conf proxy "$NGINX_PROXY_PORT" "        location = /proxy {
            proxy_pass http://portico_bench_backend/backend-838.json;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }" "    upstream portico_bench_backend {
        server 127.0.0.1:$BACKEND_PORT;
        keepalive 64;
        keepalive_requests 1000000;
        keepalive_timeout 300s;
    }"

log "starting nginx backend on 127.0.0.1:$BACKEND_PORT and nginx proxy on 127.0.0.1:$NGINX_PROXY_PORT"
start_nginx backend BACKEND_PID
start_nginx proxy PROXY_PID
DIRECT_URL="http://127.0.0.1:$BACKEND_PORT/backend-838.json"
NGINX_URL="http://127.0.0.1:$NGINX_PROXY_PORT/proxy"
wait_http "$DIRECT_URL" "$BACKEND_PID" "$TMP/backend/error.log"
wait_http "$NGINX_URL" "$PROXY_PID" "$TMP/proxy/error.log"
curl -fsS "$NGINX_URL" | cmp -s - "$DATA_DIR/backend-838.json" || die "the nginx proxy does not answer the backend's file"

if [ "$ONLY_NGINX" = 0 ]; then
    CONFIG="$BENCH_DIR/portico-bench.json"
    if [ "$PORTICO_PORT" != 8080 ] || [ "$BACKEND_PORT" != 18081 ]; then
        CONFIG="$TMP/portico-bench.json"
        sed -e "s/\"port\": 8080/\"port\": $PORTICO_PORT/" -e "s/127\.0\.0\.1:18081/127.0.0.1:$BACKEND_PORT/g" \
            "$BENCH_DIR/portico-bench.json" > "$CONFIG"
    fi
    log "starting $PORTICO_BIN run -c $CONFIG --event-loops 1"
    "$PORTICO_BIN" run -c "$CONFIG" --event-loops 1 > "$TMP/portico.log" 2>&1 &
    PORTICO_PID=$!
    STARTED_PIDS+=("$PORTICO_PID")
    PORTICO_URL="http://127.0.0.1:$PORTICO_PORT"
    wait_http "$PORTICO_URL/proxy" "$PORTICO_PID" "$TMP/portico.log"
    # Sanity: the gateway must really proxy and merge before its speed means anything.
    body="$(curl -fsS "$PORTICO_URL/proxy")" || die "GET /proxy failed"
    case "$body" in *'"username":"jdoe"'* | *'"username": "jdoe"'*) ;; *) die "GET /proxy answered: $body" ;; esac
    curl -fsS "$PORTICO_URL/proxy-noop" | cmp -s - "$DATA_DIR/backend-838.json" \
        || die "GET /proxy-noop does not answer the backend's bytes"
    body="$(curl -fsS "$PORTICO_URL/merged")" || die "GET /merged failed"
    for key in '"user"' '"orders"' '"recommendations"'; do
        case "$body" in *"$key"*) ;; *) die "GET /merged lacks $key: $body" ;; esac
    done
fi

# --- rounds -------------------------------------------------------------------------------------------------
log "$ROUNDS round(s): ${DURATION}s per run after ${WARMUP}s warm-up, wrk -t1 -c$CONNECTIONS; 1-connection runs ${LATENCY_DURATION}s"
for round in $(seq 1 "$ROUNDS"); do
    log "round $round/$ROUNDS"
    measure nginx-proxy "$NGINX_URL" "$PROXY_PID" "$CONNECTIONS" "$DURATION"
    if [ "$ONLY_NGINX" = 0 ]; then
        measure portico-proxy "$PORTICO_URL/proxy" "$PORTICO_PID" "$CONNECTIONS" "$DURATION"
        measure portico-noop "$PORTICO_URL/proxy-noop" "$PORTICO_PID" "$CONNECTIONS" "$DURATION"
        measure portico-merged "$PORTICO_URL/merged" "$PORTICO_PID" "$CONNECTIONS" "$DURATION"
    fi
    measure direct "$DIRECT_URL" "$BACKEND_PID" "$CONNECTIONS" "$DURATION"
    measure direct-c1 "$DIRECT_URL" "$BACKEND_PID" 1 "$LATENCY_DURATION"
    measure nginx-proxy-c1 "$NGINX_URL" "$PROXY_PID" 1 "$LATENCY_DURATION"
    [ "$ONLY_NGINX" = 1 ] || measure portico-proxy-c1 "$PORTICO_URL/proxy" "$PORTICO_PID" 1 "$LATENCY_DURATION"
done

RSS_BACKEND="$(tree_rss_kib "$BACKEND_PID")"
RSS_PROXY="$(tree_rss_kib "$PROXY_PID")"
RSS_PORTICO=""
[ "$ONLY_NGINX" = 1 ] || RSS_PORTICO="$(tree_rss_kib "$PORTICO_PID")"

# --- report -------------------------------------------------------------------------------------------------
fmt_int() { awk -v v="$1" 'BEGIN { if (v == "nan") print "—"; else printf "%d", v + 0.5 }'; }
fmt_us() { awk -v v="$1" 'BEGIN { if (v == "nan") print "—"; else if (v >= 1000) printf "%.2f ms", v / 1000; else printf "%.0f µs", v }'; }
fmt_mib() { [ -n "$1" ] && awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }' || echo "—"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "nan" || b == "nan" || b == 0) print "nan"; else printf "%.3f", a / b }'; }
pct() { awk -v r="$1" 'BEGIN { if (r == "nan") print "—"; else printf "%.0f %%", r * 100 }'; }

NGINX_RPS="$(median nginx-proxy 1)"
row() { # LABEL NAME RSS_KIB
    local rps
    rps="$(median "$2" 1)"
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$(fmt_int "$rps")" "$(fmt_us "$(median "$2" 2)")" \
        "$(fmt_us "$(median "$2" 3)")" "$(median "$2" 4)" "$(fmt_mib "$3")" "$(pct "$(ratio "$rps" "$NGINX_RPS")")" \
        "$(total_errors "$2")"
}
latency_row() { # LABEL NAME
    local added
    added="$(awk -v a="$(median "$2" 2)" -v b="$(median direct-c1 2)" 'BEGIN { printf "%+.0f µs", a - b }')"
    [ "$2" = direct-c1 ] && added="—"
    printf '| %s | %s | %s | %s | %s |\n' "$1" "$(fmt_int "$(median "$2" 1)")" "$(fmt_us "$(median "$2" 2)")" \
        "$(fmt_us "$(median "$2" 3)")" "$added"
}

echo
echo "### Throughput: wrk -t1 -c$CONNECTIONS, median of $ROUNDS × ${DURATION}s, 838-byte JSON"
echo
echo "Machine: $(nproc) cores, $(uname -sr), $(nginx -v 2>&1 | sed 's/^nginx version: //'), $(wrk --version 2>&1 | head -n 1 | awk '{ print $1, $2 }'), $(date -u +%Y-%m-%d)."
echo "CPU is the process under test only (user + system, from /proc/PID/stat); RSS after the last run."
echo
echo "| target | req/s | p50 | p99 | CPU µs/req | RSS MiB | vs nginx proxy | errors |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
row "backend direct (nginx static, 1 worker)" direct "$RSS_BACKEND"
row "nginx reverse proxy, 1 worker, upstream keep-alive" nginx-proxy "$RSS_PROXY"
if [ "$ONLY_NGINX" = 0 ]; then
    row "Portico \`/proxy\` (json), 1 event loop" portico-proxy "$RSS_PORTICO"
    row "Portico \`/proxy-noop\` (no-op), 1 event loop" portico-noop "$RSS_PORTICO"
    row "Portico \`/merged\` (3 backends), 1 event loop" portico-merged "$RSS_PORTICO"
fi
echo
echo "### Latency at 1 connection: wrk -t1 -c1, median of $ROUNDS × ${LATENCY_DURATION}s"
echo
echo "| path | req/s | p50 | p99 | added p50 vs direct |"
echo "|---|---:|---:|---:|---:|"
latency_row "backend direct" direct-c1
latency_row "through nginx proxy" nginx-proxy-c1
[ "$ONLY_NGINX" = 1 ] || latency_row "through Portico \`/proxy\`" portico-proxy-c1
echo

ERRORS=0
for name in "$TMP"/results/*; do
    [ "$(total_errors "$(basename "$name")")" = 0 ] || ERRORS=1
done

MISSED=0
check() { # LABEL VALUE OP LIMIT UNIT
    local verdict
    if [ "$2" = nan ]; then
        verdict="not measured"
    elif awk -v v="$2" -v l="$4" -v op="$3" 'BEGIN { exit !((op == ">=") ? v >= l : v <= l) }'; then
        verdict="PASS"
    else
        verdict="MISS"
        MISSED=1
    fi
    echo "- $1: $2$5 (target $3 $4$5) — $verdict"
}
echo "### Targets"
echo
if [ "$ONLY_NGINX" = 1 ]; then
    echo "- Portico not run (--only-nginx)."
    nginx_added="$(awk -v a="$(median nginx-proxy-c1 2)" -v b="$(median direct-c1 2)" 'BEGIN { printf "%.0f", a - b }')"
    echo "- For reference, nginx proxy adds ${nginx_added} µs p50 at 1 connection."
else
    check "Portico /proxy ÷ nginx proxy req/s" "$(ratio "$(median portico-proxy 1)" "$NGINX_RPS")" ">=" 0.8 ""
    check "Portico /merged ÷ Portico /proxy req/s" "$(ratio "$(median portico-merged 1)" "$(median portico-proxy 1)")" ">=" 0.4 ""
    check "Portico added p50 at 1 connection" \
        "$(awk -v a="$(median portico-proxy-c1 2)" -v b="$(median direct-c1 2)" 'BEGIN { printf "%.0f", a - b }')" "<=" 60 " µs"
fi
[ "$ERRORS" = 0 ] || echo "- Some runs had non-2xx answers or socket errors (column 'errors'); their numbers are suspect."
echo

[ "$ERRORS" = 0 ] || exit 1
[ "$STRICT" = 0 ] || [ "$MISSED" = 0 ] || exit 1
exit 0
