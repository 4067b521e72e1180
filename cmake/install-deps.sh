#!/usr/bin/env bash
# Installs the Debian 12 packages dqlite-odbc needs to build, test and run.
# Idempotent; run as root (or with sudo).
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
PKGS=(
  build-essential cmake pkg-config git
  unixodbc unixodbc-dev odbcinst        # driver manager, isql, odbcinst
  libuv1-dev libssl-dev openssl         # transport, TLS
  libcriterion-dev                      # unit/integration tests
  libdqlite-dev libdqlite0              # real dqlite servers for tests
  python3 python3-pyodbc                # end-to-end client tests
  clang libclang-rt-14-dev              # libFuzzer harnesses, sanitizers
  valgrind
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "install-deps: all packages present"
