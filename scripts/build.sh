#!/usr/bin/env bash
# Configures and builds Uketsuke into build/ (Release). Usage: scripts/build.sh [extra cmake args]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="${UKETSUKE_BUILD_DIR:-$here/build}"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
# dlib translation units need ~1.5 GB each; 2 jobs fit the 2-core terminal class machine.
cmake --build "$build" -j "${UKETSUKE_JOBS:-2}"
