#!/usr/bin/env bash
# Makes (once) a minimal Debian 12 root with debootstrap from Debian's archive, for the
# package-installation test; kept as ROOT.tar (a pristine copy) so each test run starts fresh.
# Made again when older than 30 days (the test's apt-get update brings the rest up to date).
#   make_debian_root.sh CACHE_DIR      ->  CACHE_DIR/bookworm-minbase.tar
set -euo pipefail
cache=${1:?cache dir}; mkdir -p "$cache"
tarball="$cache/bookworm-minbase.tar"
if [ -n "$(find "$tarball" -mtime -30 2>/dev/null)" ]; then
  echo "debian root: cached $tarball"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 2; }
mirror=${UKETSUKE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
work="$cache/bookworm-minbase.tmp"; rm -rf "$work"; mkdir -p "$cache/debs"
debootstrap --variant=minbase --cache-dir="$cache/debs" bookworm "$work" "$mirror"
cat >"$work/etc/apt/sources.list" <<LIST
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
LIST
tar -C "$work" -cf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
rm -rf "$work"
echo "debian root: made $tarball"
