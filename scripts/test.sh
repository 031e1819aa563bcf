#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (as root): installs, checks the format, builds,
# starts the services each test needs (CTest fixtures, stopped by PID), runs every suite and the
# fuzzers in parallel (services serialised by RESOURCE_LOCK), fails on a skip outside
# tests/skip-allowlist.txt and clang-tidy checks our sources; then the Debug +
# ASan/UBSan build of the libraries without the face engine runs the unit and card suites: it is
# built at nice 19 beside the main suite, on the CPU its service-bound tests leave idle, and its
# suites run after it (its card suites start pcscd, as the main suite does).
# Prints the time of each stage at the end. Extra arguments go to the main ctest run.
#   UKETSUKE_GATES=full   the default: format, clang-tidy, and the sanitizer build and suites
#   UKETSUKE_GATES=tidy   the format and clang-tidy gates
#   UKETSUKE_GATES=format the format gate only
#   UKETSUKE_GATES=0      no gate (quick local runs)
#   UKETSUKE_TEST_JOBS=N  ctest -j (default: nproc)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="${UKETSUKE_BUILD_DIR:-$here/build}"
asan="${UKETSUKE_ASAN_BUILD_DIR:-$build-asan}"
jobs="${UKETSUKE_TEST_JOBS:-$(nproc)}"
gates="${UKETSUKE_GATES:-full}"
full=0 tidy=0
{ [ "$gates" = full ] || [ "$gates" = 1 ]; } && full=1
{ ((full)) || [ "$gates" = tidy ]; } && tidy=1

stages=()
status=0
t=$SECONDS
stage() {  # stage NAME: closes the running stage under NAME
  stages+=("$1 $((SECONDS - t)) s")
  t=$SECONDS
}
fail() {
  echo "test.sh: $1 FAILED" >&2
  status=1
}

"$here/scripts/setup.sh"
stage setup

if [ "$gates" != 0 ]; then
  "$here/scripts/check-format.sh" || fail "format gate"
  stage format
fi

"$here/scripts/build.sh" -DUKETSUKE_BUILD_FUZZERS=ON
stage build

sanitizer_pid=""
if ((full)); then
  nice -n 19 "$here/scripts/sanitize.sh" "$asan" build >"$build/sanitize-build.log" 2>&1 &
  sanitizer_pid=$!
fi

junit="$build/ctest-junit.xml"
rm -f "$junit"
# The tail of a passing/skipped test's output reaches the JUnit file: gtest's closing summary
# names each skipped case (scripts/check-skips.py).
(cd "$build" && ctest -j "$jobs" --output-on-failure --timeout 600 --output-junit "$junit" \
   --test-output-size-passed 65536 --test-output-truncation tail "$@") ||
  fail "ctest"
python3 "$here/scripts/check-skips.py" --junit "$junit" \
  --allow-list "$here/tests/skip-allowlist.txt" --source-dir "$here" || fail "skip check"
stage tests

if ((tidy)); then
  "$here/scripts/tidy.sh" "$build" || fail "clang-tidy gate"
  stage clang-tidy
fi
if ((full)); then
  if wait "$sanitizer_pid"; then
    stage sanitizer-build-wait  # what the background build needed beyond the main suite
    "$here/scripts/sanitize.sh" "$asan" test || fail "sanitizer suites"
  else
    tail -50 "$build/sanitize-build.log"
    fail "sanitizer build"
    stage sanitizer-build-wait
  fi
  stage sanitizer-tests
fi

echo "stages: $(IFS=,; echo "${stages[*]}" | sed 's/,/, /g'), total $((SECONDS)) s"
exit $status
