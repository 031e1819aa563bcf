#!/usr/bin/env bash
# Debug + AddressSanitizer/UndefinedBehaviorSanitizer build of the libraries without the face
# engine (common, card, terminal, sim; UKETSUKE_BUILD_VISION=OFF, no UI: the dlib translation
# units are too heavy for a second build on a 2-core machine), running the unit and card suites
# (labels unit, ci, pcsc) with every assert compiled in. Any sanitizer report fails the test that
# raised it (halt_on_error, leak check at exit).
# Usage: scripts/sanitize.sh [BUILD_DIR] [PHASE...]
#   PHASE build  configure and build BUILD_DIR (default build-asan)
#         test   the suites, in one ctest run: the card suites on pcscd + the virtual card
#                (label pcsc) serialise on their fixture while the unit suites fill the other
#                slots; their fixture starts the machine's one pcscd, so never beside another run
#                that does (scripts/test.sh builds in the background during the main suite and
#                tests after it)
#         unit   only the suites that start no shared service (labels unit, ci)
#         pcsc   only the card suites (label pcsc)
#   no PHASE: build, then test.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="${1:-$here/build-asan}"
shift || true
phases=("$@")
((${#phases[@]})) || phases=(build test)
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# The fault-injection suite's private PostgreSQL cluster listens on 127.0.0.1: its own port here,
# so it never meets the main build's (55439) should both suites run at once.
export UKETSUKE_FAULT_PG_PORT="${UKETSUKE_FAULT_PG_PORT:-55449}"
status=0
run_ctest() {  # run_ctest NAME LABEL-REGEX
  local junit="$build/ctest-junit-$1.xml"
  (cd "$build" && ctest -j "${UKETSUKE_TEST_JOBS:-$(nproc)}" -L "$2" --output-on-failure \
     --timeout 600 --output-junit "$junit" --test-output-size-passed 65536 \
     --test-output-truncation tail) || status=1
  python3 "$here/scripts/check-skips.py" --junit "$junit" \
    --allow-list "$here/tests/skip-allowlist.txt" --source-dir "$here" || status=1
}
for phase in "${phases[@]}"; do
  case $phase in
    build)
      UKETSUKE_BUILD_DIR="$build" "$here/scripts/build.sh" -DCMAKE_BUILD_TYPE=Debug \
        -DUKETSUKE_BUILD_VISION=OFF -DUKETSUKE_BUILD_UI=OFF -DUKETSUKE_BUILD_FUZZERS=OFF \
        "-DCMAKE_CXX_FLAGS=$flags" "-DCMAKE_C_FLAGS=$flags" \
        "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined"
      ;;
    test) run_ctest all '^(unit|ci|pcsc)$' ;;
    unit) run_ctest unit '^(unit|ci)$' ;;
    pcsc) run_ctest pcsc '^pcsc$' ;;
    *) echo "sanitize.sh: unknown phase $phase" >&2; exit 2 ;;
  esac
done
exit $status
