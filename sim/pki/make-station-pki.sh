#!/bin/sh
# Generates the TLS test PKI of the staff station link (docs/kiosk_ui.md "Staff station"): a
# clinic-LAN CA that signs the station's server certificate (localhost/127.0.0.1) and one client
# certificate per kiosk (CN = the kiosk's log terminal_id), plus, for the negative tests, a rogue
# CA with a look-alike kiosk certificate and a look-alike station certificate. Test material only:
# the keys live in the build tree and are never committed. Idempotent like
# sim/qualification/make-qualification-pki.sh.
#
# usage: make-station-pki.sh OUTDIR
set -eu

out=${1:?usage: make-station-pki.sh OUTDIR}
days=3650
kiosks="reception-1 reception-2 reception-3"

files="station-ca.pem station.pem station.key rogue-ca.pem rogue-kiosk.pem rogue-kiosk.key rogue-station.pem rogue-station.key"
for k in $kiosks; do files="$files kiosk-$k.pem kiosk-$k.key"; done

. "$(dirname "$0")/pki_functions.sh"

# shellcheck disable=SC2086  # $files is a list
if pki_complete station-ca.pem $files -- station.pem kiosk-reception-1.pem; then
    exit 0
fi

mkdir -p "$out"
work=$(mktemp -d "$out/.pki-XXXXXX")
trap 'rm -rf "$work"' EXIT
umask 077

server_ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"
client_ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"

mkca "$work/station-ca.key" "$work/station-ca.pem" "/C=JP/O=UKETSUKE-TEST/CN=Uketsuke Test Clinic LAN CA"
mkleaf "$work/station-ca.key" "$work/station-ca.pem" "$work/station.key" "$work/station.pem" \
    "/C=JP/O=UKETSUKE-TEST/CN=localhost" "$server_ext"
for k in $kiosks; do
    mkleaf "$work/station-ca.key" "$work/station-ca.pem" "$work/kiosk-$k.key" "$work/kiosk-$k.pem" \
        "/C=JP/O=UKETSUKE-TEST/CN=$k" "$client_ext"
done

# An unrelated CA: a stranger's kiosk and a stranger's station, both refused.
mkca "$work/rogue-ca.key" "$work/rogue-ca.pem" "/C=JP/O=ROGUE-TEST/CN=Rogue CA"
rm -f "$work/ca.srl"
mkleaf "$work/rogue-ca.key" "$work/rogue-ca.pem" "$work/rogue-kiosk.key" "$work/rogue-kiosk.pem" \
    "/C=JP/O=ROGUE-TEST/CN=reception-1" "$client_ext"
mkleaf "$work/rogue-ca.key" "$work/rogue-ca.pem" "$work/rogue-station.key" "$work/rogue-station.pem" \
    "/C=JP/O=ROGUE-TEST/CN=localhost" "$server_ext"

chmod 644 "$work"/*.pem
for f in $files station-ca.key; do
    mv -f "$work/$f" "$out/$f"
done
rm -f "$work/rogue-ca.key"
