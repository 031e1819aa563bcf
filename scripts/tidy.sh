#!/usr/bin/env bash
# clang-tidy gate (.clang-tidy at the root) over the sources of card/, terminal/ and sim/ (and the
# headers of common/ they include) compiled in BUILD_DIR (its compile_commands.json). A file that passed is remembered by the hash of its preprocessed text, the
# .clang-tidy and the clang-tidy version, so an unchanged file is not checked again.
# Usage: scripts/tidy.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build="${1:-$here/build}"
cache="${UKETSUKE_TIDY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uketsuke-tidy}"
mkdir -p "$cache"
db="$build/compile_commands.json"
[ -f "$db" ] || { echo "tidy: $db missing (configure $build first)" >&2; exit 2; }
salt=$( (cat "$here/.clang-tidy"; clang-tidy --version) | sha256sum | cut -c1-16)
mapfile -t files < <(python3 - "$db" "$here" <<'PY'
import json, os, sys
db, root = sys.argv[1], os.path.realpath(sys.argv[2])
seen = set()
for e in json.load(open(db)):
    f = os.path.realpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(f, root)
    if rel.split(os.sep)[0] in ("card", "common", "terminal", "sim") and f not in seen:
        seen.add(f)
        print(f)
PY
)
export build cache salt
check() {
  local f=$1 key
  # The preprocessed text stands for the file and every header it includes.
  key=$(cd "$build" && python3 - "$f" <<'PY'
import json, shlex, subprocess, sys, hashlib, os
f = sys.argv[1]
for e in json.load(open("compile_commands.json")):
    if os.path.realpath(os.path.join(e["directory"], e["file"])) == f:
        args = e.get("arguments") or shlex.split(e["command"])
        args = [a for a in args if a != "ccache"]
        out = []
        skip = False
        for a in args:
            if skip: skip = False; continue
            if a == "-o": skip = True; continue
            if a == "-c": continue
            out.append(a)
        pre = subprocess.run(out + ["-E", "-P"], cwd=e["directory"], capture_output=True)
        print(hashlib.sha256(pre.stdout).hexdigest()[:32])
        break
PY
)
  key="$salt-$key"
  [ -f "$cache/$key" ] && return 0
  if clang-tidy --quiet -p "$build" --extra-arg=-Wno-unknown-warning-option "$f" \
       >"$cache/$key.log" 2>&1; then
    mv "$cache/$key.log" "$cache/$key"
  else
    grep -v "warnings generated\|Suppressed\|Use -header-filter\|NOLINT" "$cache/$key.log" | head -60 >&2 || true
    rm -f "$cache/$key.log"
    echo "tidy: $f FAILED" >&2
    return 1
  fi
}
export -f check
printf '%s\n' "${files[@]}" | xargs -P "${UKETSUKE_JOBS:-$(nproc)}" -I{} bash -c 'check "$@"' _ {}
echo "tidy: ${#files[@]} files clean"
