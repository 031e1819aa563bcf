#!/usr/bin/env bash
# Runs the terminal demo on the embedded defaults (virtual card, file camera, local services).
# Usage: scripts/demo.sh [PERSONA]   (personas: see sim/personas/)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
persona=${1:-normal}
"$here/scripts/setup.sh"
"$here/scripts/build.sh"
build="${UKETSUKE_BUILD_DIR:-$here/build}"
trap '"$here/scripts/services.sh" stop "$build"' EXIT
"$here/scripts/services.sh" start "$build" "$persona"
"$build/terminal/uketsuke" --config "$build/uketsuke-demo.json" card info
