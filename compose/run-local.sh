#!/usr/bin/env bash
# The cluster environment without Docker: the topology of compose/docker-compose.yml as processes on loopback
# ports, then the cluster test suite, then everything torn down (also on failure, Ctrl-C or SIGTERM).
#
# Usage: compose/run-local.sh [--only NAME] [--keep] [--unprivileged] [--no-install] [--skip-compose-check]
#   --only NAME            run only the cluster tests whose name contains NAME (e.g. "Redis", "JWT")
#   --keep                 keep the work directory (generated configs, keys, every process's log)
#   --unprivileged         when run as root, start the gateways without any capability, like the image's
#                          non-root user (catches code that only works as root)
#   --no-install           fail instead of installing missing packages with apt-get
#   --skip-compose-check   do not validate docker-compose.yml with `docker-compose config`
# Environment: SWIFT_BUILD_ARGS (extra `swift build` arguments), PORTICO_BIN_DIR (use prebuilt binaries there).
#
# Steps: install what is missing (nginx-light, redis-server, python3, docker-compose), validate
# compose/docker-compose.yml and compose/portico-cluster.json, build `portico` and `portico-mock-backend`
# (debug, the shared .build), then run compose/cluster/run_local.py, which starts redis-server, two mock
# backends, a JWKS server with a key generated for this run, three `portico` instances and nginx, waits for
# their health, runs the suite (~35 s) and stops every process it started. Needs no root except to install.
set -euo pipefail

COMPOSE_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(dirname "$COMPOSE_DIR")"
INSTALL=1
CHECK_COMPOSE=1
SUITE_ARGS=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "run-local.sh: error: $*" >&2; exit 2; }
log() { echo "run-local.sh: $*" >&2; }

while [ $# -gt 0 ]; do
    case "$1" in
    --only) [ $# -ge 2 ] || die "--only needs a value"; SUITE_ARGS+=(--only "$2"); shift ;;
    --keep) SUITE_ARGS+=(--keep) ;;
    --unprivileged) SUITE_ARGS+=(--unprivileged) ;;
    --no-install) INSTALL=0 ;;
    --skip-compose-check) CHECK_COMPOSE=0 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
    esac
    shift
done

# --- packages: only what is missing, as scripts/install-deps.sh does -------------------------------------------
needed=(nginx:nginx-light redis-server:redis-server python3:python3)
[ "$CHECK_COMPOSE" = 0 ] || needed+=(docker-compose:docker-compose)
missing=()
for pair in "${needed[@]}"; do
    command -v "${pair%%:*}" > /dev/null 2>&1 || missing+=("${pair#*:}")
done
if [ ${#missing[@]} -gt 0 ]; then
    [ "$INSTALL" = 1 ] || die "missing ${missing[*]} (apt-get install ${missing[*]})"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    log "installing: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
fi

# --- build ------------------------------------------------------------------------------------------------------
cd "$REPO_DIR"
if [ -n "${PORTICO_BIN_DIR:-}" ]; then
    BIN_DIR="$PORTICO_BIN_DIR"
else
    log "building portico and portico-mock-backend (swift build ${SWIFT_BUILD_ARGS:-})"
    # shellcheck disable=SC2086 # SWIFT_BUILD_ARGS is a list of arguments.
    swift build --product portico ${SWIFT_BUILD_ARGS:-} >&2
    # shellcheck disable=SC2086
    swift build --product portico-mock-backend ${SWIFT_BUILD_ARGS:-} >&2
    # shellcheck disable=SC2086
    BIN_DIR="$(swift build --show-bin-path ${SWIFT_BUILD_ARGS:-})"
fi

# --- static checks: the compose file and the cluster config -----------------------------------------------------
if [ "$CHECK_COMPOSE" = 1 ]; then
    docker-compose -f "$COMPOSE_DIR/docker-compose.yml" config -q || die "docker-compose.yml is invalid"
    log "docker-compose.yml: valid"
fi
"$BIN_DIR/portico" check --strict -c "$COMPOSE_DIR/portico-cluster.json" >&2 || die "portico-cluster.json is invalid"

# --- the cluster and its suite (run_local.py stops every process it started, whatever happens) -----------------
exec python3 "$COMPOSE_DIR/cluster/run_local.py" --bin-dir "$BIN_DIR" "${SUITE_ARGS[@]+"${SUITE_ARGS[@]}"}"
