#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (as root): installs, builds, starts the
# services each test needs (CTest fixtures, stopped by PID), runs every suite and the fuzzers.
# Prints the time of each stage at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
t0=$SECONDS
"$here/scripts/setup.sh"
t1=$SECONDS
"$here/scripts/build.sh" -DUKETSUKE_BUILD_FUZZERS=ON
t2=$SECONDS
build="${UKETSUKE_BUILD_DIR:-$here/build}"
cd "$build"
status=0
ctest --output-on-failure --timeout 600 "$@" || status=$?
t3=$SECONDS
echo "stages: setup $((t1 - t0)) s, build $((t2 - t1)) s, tests $((t3 - t2)) s, total $((t3 - t0)) s"
exit $status
