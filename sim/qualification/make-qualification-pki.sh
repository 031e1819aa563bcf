#!/bin/sh
# Generates the TLS test PKI of the reference qualification service (sim/qualification/README.md):
# a 'medical institution' CA, the service's server certificate for localhost/127.0.0.1, the
# terminal's client certificate (CN = 10-digit medical institution code) and, for negative tests,
# a client certificate from an unrelated CA. Test material only: the keys live in the build tree and
# are never committed. Idempotent: an existing, consistent set is left untouched.
#
# usage: make-qualification-pki.sh OUTDIR [INSTITUTION_CODE]
set -eu

out=${1:?usage: make-qualification-pki.sh OUTDIR [INSTITUTION_CODE]}
code=${2:-1312345678}
days=3650

files="institution-ca.pem server.pem server.key client.pem client.key rogue-ca.pem rogue-client.pem rogue-client.key"

. "$(dirname "$0")/../pki/pki_functions.sh"

# shellcheck disable=SC2086  # $files is a list
if pki_complete institution-ca.pem $files -- server.pem client.pem; then
    exit 0
fi

mkdir -p "$out"
work=$(mktemp -d "$out/.pki-XXXXXX")
trap 'rm -rf "$work"' EXIT
umask 077

mkca "$work/institution-ca.key" "$work/institution-ca.pem" \
    "/C=JP/O=UKETSUKE-TEST/CN=Uketsuke Test Medical Institution CA"
mkleaf "$work/institution-ca.key" "$work/institution-ca.pem" "$work/server.key" "$work/server.pem" \
    "/C=JP/O=UKETSUKE-TEST/CN=localhost" \
    "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"
mkleaf "$work/institution-ca.key" "$work/institution-ca.pem" "$work/client.key" "$work/client.pem" \
    "/C=JP/O=UKETSUKE-TEST Medical Institution/CN=$code" \
    "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"

# An unrelated CA issuing a look-alike client certificate: must be refused by the service.
mkca "$work/rogue-ca.key" "$work/rogue-ca.pem" "/C=JP/O=ROGUE-TEST/CN=Rogue CA"
rm -f "$work/ca.srl"
mkleaf "$work/rogue-ca.key" "$work/rogue-ca.pem" "$work/rogue-client.key" "$work/rogue-client.pem" \
    "/C=JP/O=ROGUE-TEST/CN=$code" \
    "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"

# Certificates are public; keys stay 0600. Move into place only once everything was generated.
chmod 644 "$work"/*.pem
for f in $files institution-ca.key; do
    mv -f "$work/$f" "$out/$f"
done
rm -f "$work/rogue-ca.key"
