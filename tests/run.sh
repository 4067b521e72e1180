#!/usr/bin/env bash
# The whole test suite: a normal build and an ASan+UBSan build, each built
# with -Werror and run under ctest (unit, engine, ODBC through unixODBC,
# pyodbc), plus a short fuzz smoke run of every harness.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc)

echo "== build (RelWithDebInfo)"
cmake -S . -B build/ci -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build/ci -j"$JOBS"
echo "== tests"
(cd build/ci && ctest --output-on-failure -j1)

if [ "${DQ_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== build (ASan+UBSan)"
  cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DDQODBC_SANITIZE=ON -DDQODBC_BENCH=OFF >/dev/null
  cmake --build build/asan -j"$JOBS"
  echo "== tests under ASan+UBSan"
  (cd build/asan && ctest --output-on-failure -j1)
fi

if [ -f fuzz/CMakeLists.txt ] && [ "${DQ_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzz smoke run"
  CC=clang cmake -S . -B build/fuzz -DDQODBC_FUZZ=ON -DDQODBC_TESTS=OFF >/dev/null
  cmake --build build/fuzz -j"$JOBS"
  for f in build/fuzz/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    "$f" -max_total_time=30 -print_final_stats=1 "fuzz/corpus/${name#fuzz_}" 2>&1 | tail -3
  done
fi
