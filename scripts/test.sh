#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine (as root): installs, builds, starts the
# services each test needs (CTest fixtures, stopped by PID), runs every suite and the fuzzers.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/scripts/setup.sh"
"$here/scripts/build.sh" -DUKETSUKE_BUILD_FUZZERS=ON
build="${UKETSUKE_BUILD_DIR:-$here/build}"
cd "$build"
ctest --output-on-failure --timeout 600 "$@"
