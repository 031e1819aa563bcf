#!/usr/bin/env bash
# Configures and builds Uketsuke into build/ (Release). Usage: scripts/build.sh [extra cmake args]
# ccache (installed by scripts/setup.sh) is used when present: a rebuild of an unchanged tree, or
# of one in another folder of the same machine, is then mostly cache hits.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="${UKETSUKE_BUILD_DIR:-$here/build}"
launcher=()
if command -v ccache >/dev/null 2>&1 && [ "${UKETSUKE_CCACHE:-1}" = 1 ]; then
  # Paths relative to the work root, so clones in other folders share the cache.
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$(dirname "$here")}" CCACHE_NOHASHDIR=1
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" "$@" >/dev/null
# dlib translation units need ~1.5 GB each; 2 jobs fit the 2-core terminal class machine.
cmake --build "$build" -j "${UKETSUKE_JOBS:-2}"
