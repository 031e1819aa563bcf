# Shared by the test PKI scripts (sim/qualification/make-qualification-pki.sh,
# sim/pki/make-station-pki.sh): EC P-256 keys, a CA, leaves signed by it. Sourced; the caller sets
# `days` and `work` (a private scratch folder) first.

# True when every file of "$2…" exists and is not empty, and "$1" (a CA file) verifies the
# certificates named after `--`.  pki_complete CA FILE… -- CERT…
pki_complete() {
    ca=$1
    shift
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
        [ -s "$out/$1" ] || return 1
        shift
    done
    shift
    set -- $(for c in "$@"; do printf '%s ' "$out/$c"; done)
    openssl verify -CAfile "$out/$ca" "$@" >/dev/null 2>&1
}

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

# CA: self-signed, may only sign certificates.
mkca() { # key cert subject
    newkey "$1"
    openssl req -x509 -new -key "$1" -out "$2" -days "$days" -sha256 -subj "$3" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" 2>/dev/null
}

# Leaf signed by a CA; $6 is the extension block.
mkleaf() { # cakey cacert key cert subject extensions
    newkey "$3"
    openssl req -new -key "$3" -subj "$5" -out "$work/leaf.csr" 2>/dev/null
    printf '%s\n' "$6" >"$work/leaf.ext"
    openssl x509 -req -in "$work/leaf.csr" -CA "$2" -CAkey "$1" -CAcreateserial \
        -CAserial "$work/ca.srl" -out "$4" -days "$days" -sha256 -extfile "$work/leaf.ext" 2>/dev/null
}
