#!/usr/bin/env bash
# The whole test suite: a normal build and an ASan+UBSan build, each built
# with -Werror and run under ctest (unit, engine, ODBC through unixODBC,
# pyodbc, the thread test); a ThreadSanitizer build running the thread test;
# a -Werror Release build of the driver as it is installed, installed to a
# scratch prefix and packaged as .deb (installed, used and removed with apt,
# as root); and a short fuzz smoke run of every harness.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=$(nproc)
skipped=()   # parts left out on request: named in the final summary

echo "== build (RelWithDebInfo)"
cmake -S . -B build/ci -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDQODBC_IODBC=ON >/dev/null
cmake --build build/ci -j"$JOBS"
echo "== tests"
rm -rf build/ci/tests/client-matrix   # the client tests' step lines (tests/clients/scenario.py)
(cd build/ci && ctest --output-on-failure -j1) | tee build/ci-ctest.log
total=$(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' build/ci-ctest.log)
echo "== client matrix (docs/clients.md)"
python3 tests/clients/matrix.py build/ci/tests/client-matrix || true

# The installed configuration (quickstart.sh, README) is Release: -O3
# inlines more, and GCC's flow warnings (-Werror) differ from -O2's.
echo "== build (Release, as installed)"
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DDQODBC_BENCH=OFF >/dev/null
cmake --build build/release -j"$JOBS" --target dqliteodbc dqlite-test-node

# Installing: `cmake --install --prefix X` (scratch ODBCSYSINI), then the
# Debian packages through apt (root only: it installs and removes them).
echo "== install and packages"
DQT_BUILD=build/release DQT_NODE_BIN=$PWD/build/ci/tests/node/dqlite-test-node \
  bash tests/package/test_install.sh
if [ "$(id -u)" = 0 ] && [ "${DQ_SKIP_PACKAGE:-0}" != 1 ]; then
  DQT_NODE_BIN=$PWD/build/ci/tests/node/dqlite-test-node bash tests/package/test_deb.sh
else
  skipped+=("Debian package install/remove test (needs root; DQ_SKIP_PACKAGE=1 skips it)")
fi

if [ "${DQ_SKIP_SANITIZE:-0}" != 1 ]; then
  echo "== build (ASan+UBSan)"
  cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DDQODBC_SANITIZE=ON -DDQODBC_BENCH=OFF -DDQODBC_IODBC=ON >/dev/null
  cmake --build build/asan -j"$JOBS"
  echo "== tests under ASan+UBSan"
  (cd build/asan && ctest --output-on-failure -j1) | tee build/asan-ctest.log
  total=$((total + $(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' build/asan-ctest.log)))
else
  skipped+=("ASan+UBSan build and tests (DQ_SKIP_SANITIZE=1)")
fi

if [ "${DQ_SKIP_TSAN:-0}" != 1 ]; then
  # Criterion cannot run under ThreadSanitizer: this build registers only the
  # plain C thread test (tests/threads), which must come out clean.
  echo "== build (ThreadSanitizer)"
  cmake -S . -B build/tsan -DDQODBC_TSAN=ON -DDQODBC_BENCH=OFF >/dev/null
  cmake --build build/tsan -j"$JOBS"
  echo "== thread test under ThreadSanitizer"
  (cd build/tsan && ctest --output-on-failure -j1 -R '^threads_') | tee build/tsan-ctest.log
  total=$((total + $(sed -n 's/.*tests failed out of \([0-9]*\).*/\1/p' build/tsan-ctest.log)))
else
  skipped+=("ThreadSanitizer build and thread test (DQ_SKIP_TSAN=1)")
fi

if [ "${DQ_SKIP_FUZZ:-0}" != 1 ]; then
  echo "== fuzz smoke run"
  CC=clang cmake -S . -B build/fuzz -DDQODBC_FUZZ=ON -DDQODBC_TESTS=OFF >/dev/null
  cmake --build build/fuzz -j"$JOBS"
  # Each harness runs on a scratch copy of its seed corpus (libFuzzer writes
  # new inputs into its corpus directory; the repo's seeds stay as they are).
  scratch=$(mktemp -d)
  trap 'rm -rf "$scratch"' EXIT
  fuzzed=0
  for f in build/fuzz/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f"); seeds="fuzz/corpus/${name#fuzz_}"
    mkdir -p "$scratch/$name"; [ -d "$seeds" ] && cp -r "$seeds/." "$scratch/$name/"
    echo "-- $name (${DQ_FUZZ_SECONDS:-30} s)"
    "$f" -max_total_time="${DQ_FUZZ_SECONDS:-30}" -print_final_stats=1 "$scratch/$name" \
        >"$scratch/$name.log" 2>&1 || { tail -40 "$scratch/$name.log"; exit 1; }
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$scratch/$name.log" || true
    fuzzed=$((fuzzed + 1))
  done
  # fuzz/CMakeLists.txt builds one harness per fuzz/fuzz_*.c: all must have run.
  want=$(ls fuzz/fuzz_*.c | wc -l)
  if [ "$fuzzed" -ne "$want" ] || [ "$want" -eq 0 ]; then
    echo "fuzz smoke run: $fuzzed harnesses ran, $want expected" >&2
    exit 1
  fi
else
  skipped+=("fuzz smoke run (DQ_SKIP_FUZZ=1)")
fi

# Reached only when every step above succeeded (set -e, pipefail).
echo "ctest suites (normal$([ "${DQ_SKIP_SANITIZE:-0}" != 1 ] && echo " + ASan/UBSan")$([ "${DQ_SKIP_TSAN:-0}" != 1 ] && echo " + TSan thread test")) done${fuzzed:+, fuzz smoke run of $fuzzed harnesses done}"
for s in "${skipped[@]}"; do echo "SKIPPED on request: $s"; done
echo "${total} passed, 0 failed"
