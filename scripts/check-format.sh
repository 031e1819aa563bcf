#!/usr/bin/env bash
# Format gate: clang-format --dry-run -Werror (the root .clang-format) over our C++ sources.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
mapfile -t files < <(git ls-files -- '*.cpp' '*.h' '*.hpp' '*.cc')
if ((${#files[@]} == 0)); then
  echo "check-format: no sources found (not a git checkout?)" >&2
  exit 2
fi
clang-format --dry-run -Werror "${files[@]}"
echo "check-format: ${#files[@]} files formatted"
