#!/usr/bin/env bash
# `cmake --install --prefix X` (tests/run.sh runs it): the driver is
# registered with the path it was installed to, not the configured prefix;
# installing twice keeps one registration (usage count 1); a registration
# that fails is a warning naming the command to run, and the install still
# succeeds. Registrations go to a scratch ODBCSYSINI, never /etc.
# Env: DQT_NODE_BIN (default build/ci/tests/node/dqlite-test-node),
#      DQT_BUILD (a configured build directory, default build/ci).
set -euo pipefail
cd "$(dirname "$0")/../.."
NODE=${DQT_NODE_BIN:-$PWD/build/ci/tests/node/dqlite-test-node}
B=${DQT_BUILD:-build/ci}
[ -x "$NODE" ] || { echo "test_install.sh: no node binary at $NODE" >&2; exit 1; }
. tests/package/lib.sh
trap 'stop_node; rm -rf "$work"' EXIT

cmake --build "$B" -j"$(nproc)" --target dqliteodbc dqclient >/dev/null
prefix="$work/prefix"
mkdir -p "$work/sys"
export ODBCSYSINI="$work/sys"

echo "-- install to a prefix the build was not configured for"
cmake --install "$B" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "install"; }
so=$(odbcinst -q -d -n dqlite | sed -n 's/^Driver=//p')
want="$prefix/$(sed -n 's/^CMAKE_INSTALL_LIBDIR:PATH=//p' "$B/CMakeCache.txt")/odbc/libdqliteodbc.so"
[ "$so" = "$want" ] || fail "registered Driver= is '$so', installed to '$want'"
[ -f "$so" ] || fail "$so is missing"
grep -q "Driver *= *$want" "$prefix/share/dqlite-odbc/odbcinst.ini" || fail "installed odbcinst.ini names another path"
echo "registered: $so"

echo "-- install again: still one registration"
cmake --install "$B" --prefix "$prefix" >"$work/install.log" 2>&1 || { cat "$work/install.log"; fail "second install"; }
odbcinst -q -d -n dqlite | grep -q '^UsageCount=1$' || { odbcinst -q -d -n dqlite; fail "usage count is not 1"; }
echo "usage count: 1"

echo "-- the registered driver loads and answers"
start_node
isql_answer
stop_node

echo "-- registration failing is a warning, not a failed install"
touch "$work/not-a-dir"
ODBCSYSINI="$work/not-a-dir" cmake --install "$B" --prefix "$prefix" >"$work/install.log" 2>&1 \
  || { cat "$work/install.log"; fail "an install whose registration failed exited non-zero"; }
tr -s ' \n' ' ' <"$work/install.log" | grep -q "odbcinst -i -d -f $prefix/share/dqlite-odbc/odbcinst.ini" \
  || { cat "$work/install.log"; fail "the warning does not name the command to run"; }
echo "registration failure: warned, install succeeded"
echo "test_install.sh: PASS"
