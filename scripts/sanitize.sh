#!/usr/bin/env bash
# Debug + AddressSanitizer/UndefinedBehaviorSanitizer build of the libraries without the face
# engine (common, card, terminal, sim; UKETSUKE_BUILD_VISION=OFF, no UI: the dlib translation
# units are too heavy for a second build on a 2-core machine), running the unit and card suites
# (labels unit, pcsc, ci) with every assert compiled in. Usage: scripts/sanitize.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="${1:-$here/build-asan}"
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
UKETSUKE_BUILD_DIR="$build" "$here/scripts/build.sh" -DCMAKE_BUILD_TYPE=Debug \
  -DUKETSUKE_BUILD_VISION=OFF -DUKETSUKE_BUILD_UI=OFF -DUKETSUKE_BUILD_FUZZERS=OFF \
  "-DCMAKE_CXX_FLAGS=$flags" "-DCMAKE_C_FLAGS=$flags" \
  "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
junit="$build/ctest-junit.xml"
status=0
(cd "$build" && ctest -j "${UKETSUKE_TEST_JOBS:-$(nproc)}" -L '^(unit|pcsc|ci)$' \
   --output-on-failure --timeout 600 --output-junit "$junit" --test-output-size-passed 65536 \
   --test-output-truncation tail) || status=1
python3 "$here/scripts/check-skips.py" --junit "$junit" \
  --allow-list "$here/tests/skip-allowlist.txt" --source-dir "$here" || status=1
exit $status
