#!/usr/bin/env bash
# clang-tidy gate (.clang-tidy at the root) over the sources of card/, terminal/, sim/, vision/ and
# qml/ (the UI's C++ side: bridge, sound, log, station, demo; and the headers of common/ they
# include) compiled in BUILD_DIR (its compile_commands.json). Only files under these folders of the
# source tree: Qt's generated sources (moc, qmltyperegistrar, qmlcachegen, the QML plugin) live in
# BUILD_DIR, so they are never checked, even when BUILD_DIR is inside the source tree.
# A file that passed is remembered under a key over the .clang-tidy, the clang-tidy version, its
# compile command and the content of the file and of every header it included when it was last
# compiled (ninja's dependency log, `ninja -t deps`); source and build folders are replaced by
# placeholders, so the cache serves every clone of the repository (CI's fresh clone included).
# An unchanged file is not checked again: on a warm cache the gate costs a few seconds. A file
# whose object is missing or older than its inputs (not rebuilt since an edit) has no trusted
# dependency list: it is always checked, never remembered.
# Usage: scripts/tidy.sh [BUILD_DIR]
#   UKETSUKE_TIDY_CACHE  the cache folder (default ~/.cache/uketsuke-tidy)
#   UKETSUKE_JOBS        parallel clang-tidy processes (default: nproc)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
cache="${UKETSUKE_TIDY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uketsuke-tidy}"
mkdir -p "$cache"
db="$build/compile_commands.json"
[ -f "$db" ] || { echo "tidy: $db missing (configure $build first)" >&2; exit 2; }
salt=$( (cat "$here/.clang-tidy"; clang-tidy --version) | sha256sum | cut -c1-16)
deps=$(mktemp)
trap 'rm -f "$deps"' EXIT
ninja -C "$build" -t deps >"$deps" 2>/dev/null || true

# One line per file to check: "<key> <file>" (key "-" when it cannot be computed).
mapfile -t jobs < <(python3 - "$db" "$here" "$build" "$deps" <<'PY'
import hashlib, json, os, shlex, sys
db, root, build, depfile = sys.argv[1:5]
root, build = os.path.realpath(root), os.path.realpath(build)

def neutral(text):  # folder-independent text
    return text.replace(build, "@BUILD@").replace(root, "@SRC@")

# ninja -t deps: "<output>: #deps N, deps mtime M (VALID|STALE)" then indented paths.
deps, current = {}, None
for line in open(depfile, encoding="utf-8", errors="replace"):
    if line.startswith("    ") and current is not None:
        deps[current].append(line.strip())
    elif ": #deps" in line:
        out, _, rest = line.partition(": #deps")
        current = out.strip() if "(VALID)" in rest else None
        if current is not None:
            deps[current] = []
    else:
        current = None

digests = {}
def digest(path):
    if path not in digests:
        try:
            with open(path, "rb") as f:
                digests[path] = hashlib.sha256(f.read()).hexdigest()
        except OSError:
            digests[path] = "missing"
    return digests[path]

seen = set()
for e in json.load(open(db)):
    f = os.path.realpath(os.path.join(e["directory"], e["file"]))
    rel = os.path.relpath(f, root)
    if rel.split(os.sep)[0] not in ("card", "common", "terminal", "sim", "vision", "qml") or f in seen:
        continue
    seen.add(f)
    args = e.get("arguments") or shlex.split(e["command"])
    out = args[args.index("-o") + 1] if "-o" in args else None
    key = "-"
    if out is not None and out in deps:
        paths = [os.path.realpath(os.path.join(e["directory"], d)) for d in [f] + deps[out]]
        try:  # the dependency list holds only if the object is newer than every input
            fresh = os.path.getmtime(os.path.join(e["directory"], out)) >= max(
                os.path.getmtime(p) for p in paths)
        except OSError:
            fresh = False
        if fresh:
            h = hashlib.sha256(neutral(" ".join(args)).encode())
            for p in paths:
                h.update(neutral(p).encode() + b"\0" + digest(p).encode() + b"\n")
            key = h.hexdigest()[:40]
    print(key, f)
PY
)
export build cache salt
check() {
  local key=$1 f=$2
  [ "$key" != - ] && [ -f "$cache/$salt-$key" ] && return 0
  local log
  log=$(mktemp)
  if clang-tidy --quiet -p "$build" --extra-arg=-Wno-unknown-warning-option "$f" >"$log" 2>&1; then
    [ "$key" = - ] || echo "$f" >"$cache/$salt-$key"
    rm -f "$log"
  else
    grep -v "warnings generated\|Suppressed\|Use -header-filter\|NOLINT" "$log" | head -60 >&2 || true
    rm -f "$log"
    echo "tidy: $f FAILED" >&2
    return 1
  fi
}
export -f check
checked=$(printf '%s\n' "${jobs[@]}" | while read -r key f; do
  if [ "$key" = - ] || [ ! -f "$cache/$salt-$key" ]; then echo x; fi
done | wc -l)
echo "tidy: ${#jobs[@]} files, $checked to check (the rest unchanged since they passed)"
printf '%s\n' "${jobs[@]}" | xargs -P "${UKETSUKE_JOBS:-$(nproc)}" -L 1 bash -c 'check "$@"' _
echo "tidy: ${#jobs[@]} files clean"
