#!/usr/bin/env bash
# Installs the system packages Portico needs, only when missing: hiredis and OpenSSL headers for the build,
# redis-server for the rate-limit tests, nginx and wrk for the benchmark, docker-compose to validate compose/.
set -euo pipefail

packages=(libhiredis-dev libssl-dev pkg-config redis-server python3)
if [ "${1:-}" = "--all" ]; then packages+=(nginx-light wrk docker-compose); fi

missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
