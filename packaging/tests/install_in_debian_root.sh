#!/usr/bin/env bash
# The acceptance path of issue 16 in a fresh Debian 12 root made by debootstrap (cached as a
# tarball in the user's cache, ~/.cache/uketsuke-packaging or $UKETSUKE_PACKAGING_CACHE, so a fresh
# clone does not debootstrap again; downloaded .debs cached beside it):
#   apt-get install ./uketsuke_*.deb ./uketsuke-sim_*.deb  (a root without build tools)
#   -> user, /etc/uketsuke (0750, config 0640), /var/lib/uketsuke{,/res} as the postinst promises
#   -> `uketsuke --help`, and `uketsuke doctor --json` with the packaged demo configuration against
#      the host's pcscd + virtual card (its socket bound into the root) and the reference service
#      (same network namespace): every check passes (clock: ok or warn, see doctor_e2e.sh)
#   -> apt-get remove keeps /etc/uketsuke and /var/lib/uketsuke; apt-get purge deletes them.
# Needs root (chroot, mounts), the .debs from package.deb, and the services fixtures.
#   install_in_debian_root.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
src=$(cd "${1:?source dir}" && pwd); build=$(cd "${2:?build dir}" && pwd)
cache="${UKETSUKE_PACKAGING_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/uketsuke-packaging}"
term=$(ls "$build"/packages/uketsuke_*.deb 2>/dev/null | head -1)
sim=$(ls "$build"/packages/uketsuke-sim_*.deb 2>/dev/null | head -1)
[ -n "$term" ] && [ -n "$sim" ] || { echo "FAIL: no packages in $build/packages (run package.deb first)" >&2; exit 1; }
"$src/packaging/tests/make_debian_root.sh" "$cache"

root="$build/packaging-root"
mounted=()
cleanup() {
  for ((i=${#mounted[@]}-1; i>=0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT
cleanup; mkdir -p "$root"
tar -C "$root" -xf "$cache/bookworm-minbase.tar"
mkdir -p "$cache/apt-archives/partial" "$root/run/pcscd"
bind() { mount --bind "$1" "$root$2"; mounted+=("$root$2"); }
mount -t proc proc "$root/proc"; mounted+=("$root/proc")
bind /dev /dev
bind "$cache/apt-archives" /var/cache/apt/archives
bind /run/pcscd /run/pcscd              # the host's pcscd, serving the virtual card
cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$term" "$sim" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }

in_root apt-get -q update >/dev/null
in_root apt-get -q install -y --no-install-recommends "/tmp/$(basename "$term")" "/tmp/$(basename "$sim")" \
  >"$build/packaging-install.log" 2>&1 || { tail -40 "$build/packaging-install.log" >&2; echo "FAIL: apt-get install" >&2; exit 1; }
echo "ok:   apt-get install ./$(basename "$term") ./$(basename "$sim") in a fresh Debian 12 root"
in_root dpkg-query -W -f='${Status}\n' uketsuke | grep -q 'install ok installed' || { echo "FAIL: not installed" >&2; exit 1; }
! in_root sh -c 'command -v cmake || command -v g++ || command -v cc' >/dev/null ||
  { echo "FAIL: the root has build tools" >&2; exit 1; }
echo "ok:   the root has no compiler and no cmake"

in_root getent passwd uketsuke | grep -q ':/var/lib/uketsuke:/usr/sbin/nologin$' || { echo "FAIL: user" >&2; exit 1; }
expect_stat() {
  local got; got=$(in_root stat -c '%a %U %G' "$1")
  [ "$got" = "$2" ] || { echo "FAIL: $1 is '$got', want '$2'" >&2; exit 1; }; echo "ok:   $1 $2"
}
expect_stat /etc/uketsuke "750 root uketsuke"
expect_stat /etc/uketsuke/uketsuke.json "640 root uketsuke"
expect_stat /var/lib/uketsuke "750 uketsuke uketsuke"
expect_stat /var/lib/uketsuke/res "750 uketsuke uketsuke"
expect_stat /etc/uketsuke/tls/demo-client.key "600 uketsuke uketsuke"
expect_stat /usr/share/uketsuke-sim/pki/qualification/server.key "600 root root"
in_root uketsuke --help | grep -q doctor || { echo "FAIL: uketsuke --help" >&2; exit 1; }
echo "ok:   uketsuke --help"
in_root env QT_QPA_PLATFORM=offscreen /usr/bin/uketsuke-ui --help >/dev/null || { echo "FAIL: uketsuke-ui --help" >&2; exit 1; }
echo "ok:   uketsuke-ui --help"

# The staff file, as a clinic makes it (then owned by the kiosk's user, 0600).
printf 'uketsuke-demo\n' | in_root uketsuke --config /usr/share/uketsuke-sim/uketsuke-demo.json \
  session staff-file --out /etc/uketsuke/staff.json --staff S001 >/dev/null
in_root chown uketsuke:uketsuke /etc/uketsuke/staff.json; in_root chmod 0600 /etc/uketsuke/staff.json
in_root install -m 0640 -o root -g uketsuke /usr/share/uketsuke-sim/uketsuke-demo.json /etc/uketsuke/uketsuke.json
rc=0
in_root setpriv --reuid=uketsuke --regid=uketsuke --init-groups \
  uketsuke --config /etc/uketsuke/uketsuke.json doctor --json >"$build/packaging-doctor.json" || rc=$?
cat "$build/packaging-doctor.json"
python3 - "$build/packaging-doctor.json" "$rc" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); rc = int(sys.argv[2])
allowed_by_name = {"clock": {"ok", "warn"}, "terminal-key": {"warn"}}  # demo: a plain key file
for c in r["checks"]:
    allowed = allowed_by_name.get(c["name"], {"ok"})
    assert c["status"] in allowed, f"{c['name']}: {c['status']} ({c['detail']})"
assert len(r["checks"]) == 14 and r["ok"] and rc == 0, (len(r["checks"]), r["ok"], rc)
print("ok:   uketsuke doctor --json in the root, as user uketsuke: every check passes")
PY

echo test >"$root/var/lib/uketsuke/res/marker"
in_root apt-get -q remove -y uketsuke-sim uketsuke >/dev/null 2>&1
[ -f "$root/etc/uketsuke/uketsuke.json" ] && [ -f "$root/var/lib/uketsuke/res/marker" ] &&
  ! in_root sh -c 'command -v uketsuke' >/dev/null || { echo "FAIL: remove" >&2; exit 1; }
[ ! -e "$root/etc/uketsuke/tls/demo-client.key" ] || { echo "FAIL: remove left the demo key" >&2; exit 1; }
echo "ok:   apt-get remove: binaries gone, /etc/uketsuke and /var/lib/uketsuke kept"
in_root apt-get -q purge -y uketsuke >/dev/null 2>&1
[ ! -e "$root/etc/uketsuke" ] && [ ! -e "$root/var/lib/uketsuke" ] || { echo "FAIL: purge" >&2; exit 1; }
echo "ok:   apt-get purge: /etc/uketsuke and /var/lib/uketsuke deleted"
echo "install: all checks passed"
