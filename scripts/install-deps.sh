#!/usr/bin/env bash
# Installs the Debian packages duban needs to build, run and test, when missing.
# Idempotent: a second run installs nothing. Run as root on Debian 12.
#   scripts/install-deps.sh          build + run
#   scripts/install-deps.sh --test   also what the test suite needs
set -euo pipefail

build_pkgs=(
  build-essential pkg-config
  libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev
  libicu-dev libxlsxwriter-dev libzip-dev libexpat1-dev libcurl4-openssl-dev
  sqlite3 nodejs npm
)
test_pkgs=(
  postgresql python3 python3-pytest python3-requests
  chromium fonts-wqy-microhei clang libclang-rt-14-dev
)

want=("${build_pkgs[@]}")
if [ "${1:-}" = "--test" ]; then want+=("${test_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # nodejs/npm may come from elsewhere on a developer machine; accept a working one
    if { [ "$p" = nodejs ] && command -v node >/dev/null; } ||
       { [ "$p" = npm ] && command -v npm >/dev/null; }; then continue; fi
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
