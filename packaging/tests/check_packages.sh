#!/usr/bin/env bash
# Builds both Debian packages with CPack in the build tree and checks them with dpkg-deb: file
# lists, dependencies, maintainer scripts, and that the installed binaries carry no path into the
# build tree and start from the unpacked package (`uketsuke --help`, `uketsuke-ui --help`).
#   check_packages.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd)
out="$build/packages"
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok:   $*"; }

rm -f "$out"/*.deb
(cd "$build" && cpack -G DEB --config CPackConfig.cmake) >"$build/packaging-cpack.log" 2>&1 ||
  { cat "$build/packaging-cpack.log" >&2; echo "FAIL: cpack -G DEB" >&2; exit 1; }
term=$(ls "$out"/uketsuke_*.deb 2>/dev/null | head -1)
sim=$(ls "$out"/uketsuke-sim_*.deb 2>/dev/null | head -1)
[ -n "$term" ] || { echo "FAIL: no uketsuke_*.deb in $out" >&2; exit 1; }
[ -n "$sim" ] || { echo "FAIL: no uketsuke-sim_*.deb in $out" >&2; exit 1; }
ok "built $(basename "$term") ($(du -h "$term" | cut -f1)), $(basename "$sim") ($(du -h "$sim" | cut -f1))"

# File lists read once, and searched through here-strings, never a pipe: grep -q leaves as soon as
# it matches, and whatever still writes into the pipe (dpkg-deb, even `echo` of a long list) dies
# of SIGPIPE, which pipefail turns into a false failure.
listing() { dpkg-deb -c "$1" | awk '{print $6}'; }
term_files=$(listing "$term"); sim_files=$(listing "$sim")
files_of() { if [ "$1" = "$term" ]; then echo "$term_files"; else echo "$sim_files"; fi; }
has_file() {  # deb path-regex
  if grep -Eq "^\./$2\$" <<<"$(files_of "$1")"; then ok "$(basename "$1") has $2"
  else fail "$(basename "$1") lacks $2"; fi
}
lacks_file() {
  if grep -Eq "$2" <<<"$(files_of "$1")"; then fail "$(basename "$1") must not contain $2"
  else ok "$(basename "$1") has no $2"; fi
}
field() { dpkg-deb -f "$1" "$2"; }
depends_on() {  # deb field package
  if field "$1" "$2" | tr ',' '\n' | sed 's/^ *//; s/ .*//' | grep -qx "$3"; then ok "$(basename "$1") $2: $3"
  else fail "$(basename "$1") $2 lacks $3 (has: $(field "$1" "$2"))"; fi
}

# --- uketsuke: contents ---
for f in usr/bin/uketsuke usr/bin/uketsuke-ui \
         usr/share/uketsuke/models/dlib_face_recognition_resnet_model_v1.dat \
         usr/share/uketsuke/models/shape_predictor_68_face_landmarks.dat \
         usr/share/uketsuke/models/SHA256SUMS \
         usr/share/uketsuke/consent.json usr/share/uketsuke/uketsuke.json.template \
         usr/lib/systemd/system/uketsuke-kiosk.service usr/lib/sysusers.d/uketsuke.conf \
         usr/lib/tmpfiles.d/uketsuke.conf \
         usr/share/uketsuke/sounds/manifest.tsv usr/share/uketsuke/sounds/ja/place_card.wav \
         usr/share/uketsuke/sounds/en/place_card.wav usr/share/uketsuke/sounds/chime/alarm.wav \
         usr/share/uketsuke/sounds/VOICE-LICENSE-mei.txt; do
  has_file "$term" "$f"
done
# The landmarks model is Debian's file (libdlib-data), linked, not copied.
term_long=$(dpkg-deb -c "$term")
if grep -q 'shape_predictor_68_face_landmarks.dat -> /usr/share/dlib/shape_predictor_68_face_landmarks.dat' <<<"$term_long"; then
  ok "landmarks model is a link to libdlib-data's file"; else fail "landmarks model is not a link to /usr/share/dlib"; fi
for f in uketsuke-vcard uketsuke-qualification-service uketsuke-session uketsuke-ui-demo 'pki/' 'personas/' '\.key$' 'etc/' 'var/'; do
  lacks_file "$term" "$f"
done
# --- uketsuke: control ---
[ "$(field "$term" Package)" = uketsuke ] && ok "Package: uketsuke" || fail "Package is $(field "$term" Package)"
for d in pcscd libccid tesseract-ocr-jpn libdlib-data fonts-noto-cjk adduser qml6-module-qtquick \
         qml6-module-qtquick-controls qml6-module-qtquick-layouts; do
  depends_on "$term" Depends "$d"
done
# From dpkg-shlibdeps: the run-time libraries of the binaries.
deps=$(field "$term" Depends)
for lib in 'libqt6quick6' 'libopencv-core406' 'libdlib19' 'libtesseract5' 'libssl3' 'libpcsclite1' 'libsqlite3-0'; do
  if grep -q "^ *$lib" <<<"$(tr ',' '\n' <<<"$deps")"; then ok "Depends (shlibdeps): $lib"; else fail "Depends lacks $lib: $deps"; fi
done
depends_on "$term" Recommends cage
ctl=$(mktemp -d); trap 'rm -rf "$ctl"' EXIT
dpkg-deb -e "$term" "$ctl/term"
for s in postinst prerm postrm; do
  [ -x "$ctl/term/$s" ] && ok "maintainer script $s (executable)" || fail "no executable $s"
  sh -n "$ctl/term/$s" || fail "$s: shell syntax"
done
grep -q 'adduser --system .*uketsuke' "$ctl/term/postinst" && ok "postinst makes the system user" || fail "postinst makes no system user"
tr -d '\\\n' <"$ctl/term/postinst" | grep -q 'install -m 0640 -o root -g uketsuke */usr/share/uketsuke/uketsuke.json.template */etc/uketsuke/uketsuke.json' && ok "postinst: config 0640 root:uketsuke" || fail "postinst: config mode"
grep -q 'chmod 0600 /etc/uketsuke/staff.json' "$ctl/term/postinst" && ok "postinst: staff file 0600" || fail "postinst: staff file mode"
grep -q 'install -d -m 0750 -o uketsuke -g uketsuke /var/lib/uketsuke /var/lib/uketsuke/res' "$ctl/term/postinst" && ok "postinst: /var/lib/uketsuke{,/res}" || fail "postinst: state dirs"
# postrm: purge deletes, remove keeps: run it against a scratch copy of its paths.
scratch="$ctl/scratch"; mkdir -p "$scratch/etc/uketsuke" "$scratch/var/lib/uketsuke/res"
sed -e "s#/etc/uketsuke#$scratch/etc/uketsuke#g; s#/var/lib/uketsuke#$scratch/var/lib/uketsuke#g; s#/run/systemd/system#$scratch/no-systemd#g" \
  "$ctl/term/postrm" >"$ctl/postrm.scratch"
touch "$scratch/etc/uketsuke/uketsuke.json" "$scratch/var/lib/uketsuke/confirmation-log.sqlite3"
sh "$ctl/postrm.scratch" remove
[ -f "$scratch/etc/uketsuke/uketsuke.json" ] && [ -f "$scratch/var/lib/uketsuke/confirmation-log.sqlite3" ] &&
  ok "postrm remove keeps configuration and log" || fail "postrm remove deleted data"
sh "$ctl/postrm.scratch" purge
[ ! -e "$scratch/etc/uketsuke" ] && [ ! -e "$scratch/var/lib/uketsuke" ] &&
  ok "postrm purge deletes configuration and state" || fail "postrm purge left data"

# --- the unpacked binaries: no build-tree RPATH, they start, the template parses ---
dpkg-deb -x "$term" "$ctl/root"
for b in uketsuke uketsuke-ui; do
  if [ ! -x "$ctl/root/usr/bin/$b" ]; then fail "no /usr/bin/$b in the unpacked package"
  elif readelf -d "$ctl/root/usr/bin/$b" | grep -Eq "R(UN)?PATH.*$build"; then fail "$b has an RPATH into $build"
  else ok "$b: no RPATH into the build tree"; fi
done
"$ctl/root/usr/bin/uketsuke" --help >"$ctl/help.txt" && grep -q doctor "$ctl/help.txt" &&
  ok "unpacked uketsuke --help lists doctor" || fail "unpacked uketsuke --help (no doctor?)"
QT_QPA_PLATFORM=offscreen "$ctl/root/usr/bin/uketsuke-ui" --help >/dev/null 2>&1 &&
  ok "unpacked uketsuke-ui --help" || fail "unpacked uketsuke-ui --help"
python3 -m json.tool "$ctl/root/usr/share/uketsuke/uketsuke.json.template" >/dev/null &&
  ok "configuration template is JSON" || fail "configuration template is not JSON"
(cd "$ctl/root/usr/share/uketsuke/models" && sha256sum -c --quiet SHA256SUMS) &&
  ok "models match their pinned SHA-256" || fail "models do not match SHA256SUMS"

# --- uketsuke-sim ---
for f in usr/bin/uketsuke-vcard usr/bin/uketsuke-qualification-service usr/bin/uketsuke-session usr/bin/uketsuke-ui-demo \
         usr/share/uketsuke-sim/personas/normal.json usr/share/uketsuke-sim/insured.json \
         usr/share/uketsuke-sim/pki/qualification/client.pem \
         usr/share/uketsuke-sim/pki/personas/normal/photo.jp2 usr/share/uketsuke-sim/uketsuke-demo.json; do
  has_file "$sim" "$f"
done
lacks_file "$sim" 'usr/bin/uketsuke$'
# Every private key of the test PKI is 0600 (the terminal refuses readable keys, issue 14).
sim_long=$(dpkg-deb -c "$sim")
readable_keys=$(grep '\.key$' <<<"$sim_long" | grep -v '^-rw------- ' || true)
if [ -n "$readable_keys" ]; then
  fail "sim package has a private key readable by group or others"
elif grep -q 'pki/qualification/client\.key$' <<<"$sim_long"; then
  ok "sim package: private keys 0600"
else fail "sim package: no test client key"; fi
dpkg-deb -e "$sim" "$ctl/sim"
for s in postinst postrm; do
  [ -x "$ctl/sim/$s" ] && sh -n "$ctl/sim/$s" && ok "sim maintainer script $s" || fail "sim: no valid $s"
done
grep -q 'install -m 0600 -o uketsuke -g uketsuke' "$ctl/sim/postinst" && ok "sim postinst: demo client key 0600 for uketsuke" || fail "sim postinst: demo key"
depends_on "$sim" Depends uketsuke
depends_on "$sim" Depends vsmartcard-vpcd

if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed" >&2; exit 1; fi
echo "packages: all checks passed"
