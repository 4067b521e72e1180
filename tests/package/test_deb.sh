#!/usr/bin/env bash
# The Debian packages, as a user meets them (run as root; tests/run.sh runs
# it): builds them with cpack (Release, DQODBC_WERROR=OFF as a packager
# would), installs them with `apt-get install ./…deb`, connects through isql
# by driver name to a local node, builds a program against the engine with
# pkg-config, removes the packages and checks the driver is unregistered.
# /etc/odbcinst.ini is restored afterwards, whatever happens.
# Env: DQT_NODE_BIN (default build/ci/tests/node/dqlite-test-node).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" = 0 ] || { echo "test_deb.sh: run as root (it installs packages)" >&2; exit 1; }
NODE=${DQT_NODE_BIN:-$PWD/build/ci/tests/node/dqlite-test-node}
[ -x "$NODE" ] || { echo "test_deb.sh: no node binary at $NODE (build the tests first)" >&2; exit 1; }
B=build/pkg
ini=/etc/odbcinst.ini
. tests/package/lib.sh

cleanup() {
  stop_node
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq dqlite-odbc-dev dqlite-odbc >/dev/null 2>&1 || true
  if [ -f "$work/odbcinst.ini.saved" ]; then cp "$work/odbcinst.ini.saved" "$ini"; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "-- build the packages"
cmake -S . -B $B -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DDQODBC_TESTS=OFF \
      -DDQODBC_BENCH=OFF -DDQODBC_WERROR=OFF >/dev/null
cmake --build $B -j"$(nproc)" --target dqliteodbc dqclient >/dev/null
rm -f $B/*.deb
(cd $B && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls $B/dqlite-odbc_*_*.deb); dev=$(ls $B/dqlite-odbc-dev_*_*.deb)
echo "packages: $(basename "$deb") $(stat -c %s "$deb") bytes, $(basename "$dev") $(stat -c %s "$dev") bytes"
dpkg-deb -f "$deb" Depends

echo "-- a clean slate: no driver named dqlite registered"
[ -f "$ini" ] && cp "$ini" "$work/odbcinst.ini.saved"
for _ in $(seq 1 20); do odbcinst -q -d -n dqlite >/dev/null 2>&1 || break; odbcinst -u -d -n dqlite >/dev/null 2>&1; done
odbcinst -q -d -n dqlite >/dev/null 2>&1 && fail "could not clear an earlier registration"

echo "-- apt-get install"
t0=$(date +%s%N)
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "./$deb" "./$dev" >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log"; fail "apt-get install"; }
echo "installed in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
so=$(odbcinst -q -d -n dqlite | sed -n 's/^Driver=//p')
[ "$so" = "/usr/lib/$(multiarch)/odbc/libdqliteodbc.so" ] \
  || fail "registered Driver= is '$so'"
[ -f "$so" ] || fail "$so is not installed"
odbcinst -q -d -n dqlite | grep -q '^UsageCount=1$' || fail "usage count is not 1"

echo "-- a node and isql by driver name"
start_node
isql_answer

echo "-- a program on the engine, built with pkg-config dqlite-client"
cc -Wall -Werror -o "$work/engine_example" tests/package/engine_example.c \
   $(pkg-config --cflags --libs dqlite-client) || fail "engine example did not build"
[ "$("$work/engine_example" "127.0.0.1:$port")" = 42 ] || fail "engine example"
echo "engine example: 42"

echo "-- apt-get remove"
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq dqlite-odbc-dev dqlite-odbc >"$work/apt.log" 2>&1 \
  || { cat "$work/apt.log"; fail "apt-get remove"; }
odbcinst -q -d -n dqlite >/dev/null 2>&1 && fail "the driver is still registered after remove"
[ -e "$so" ] && fail "$so is still there after remove"
echo "removed: unregistered, library gone"
echo "test_deb.sh: PASS"
