#!/usr/bin/env python3
"""Generates the virtual card's test PKI with the `openssl` CLI (sim/README.md "Build outputs").

    make_pki.py --personas sim/personas --out build/pki

Outputs (all test material; private keys stay in the build tree, mode 0600):
  jpki-auth-root.pem/.key   self-signed JPKI-like root, O=JPKI-TEST (the terminal's test trust store)
  jpki-auth-ca.pem/.key     auth-certificate issuer, signed by the root (EF 000B)
  jpki-auth-ca.crl.pem      the issuer's CRL, listing every persona with authCert.revoked
  jpki-sign-ca.pem/.key     signing-certificate CA (EF 0002 of the JPKI-AP), self-signed
  kenmen-cvca.key/.pub.pem  券面AP CV-CA key pair (its public key anchors EF 0004)
  kenmen-issuer.key/.pub.pem 券面 issuer key certified in EF 0004; signs DF28 (card-protocol.md Errata 1)
  personas/<id>/auth.pem, auth.key   auth cert (EF 000A) and key (EF 0017), validity relative to now
  personas/<id>/sign.pem, sign.key   signing cert (EF 0001) and key (EF 001A), if the persona has one
  personas/<id>/card.key             券面AP card key (DF24, internal authentication)
  pki.json                           generation time and each persona's auth-cert serial/validity
Past and future validity dates go through `openssl ca -startdate/-enddate`, which accepts both.
Certificate serials are derived from the persona id, so they stay stable across regenerations.
"""
import argparse
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT_DN = ("/C=JP/O=JPKI-TEST/OU=JPKI for user authentication"
           "/OU=Japan Agency for Local Authority Information Systems")
AUTH_CA_DN = ROOT_DN + "/CN=JPKI-TEST user authentication issuing CA"
SIGN_CA_DN = ("/C=JP/O=JPKI-TEST/OU=JPKI for digital signature"
              "/OU=Japan Agency for Local Authority Information Systems")

CA_CONFIG = """\
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = {dir}
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sha256
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none
default_crl_days = 3650
[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder
[ ext_root ]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ ext_ca ]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ ext_auth ]
keyUsage = critical, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ ext_sign ]
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""


def run(*args):
    result = subprocess.run(["openssl", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    if result.returncode != 0:
        sys.exit("make_pki: openssl %s failed:\n%s" % (" ".join(args[:2]), result.stderr))
    return result.stdout


def gen_key(path):
    run("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", str(path))
    os.chmod(path, 0o600)


def asn1_time(now, days):
    return (now + datetime.timedelta(days=days)).strftime("%Y%m%d%H%M%SZ")


def serial_for(name):
    # Positive 64-bit serial from the name: stable across runs, distinct per persona.
    return "%016X" % (int(hashlib.sha256(name.encode()).hexdigest()[:16], 16) & 0x7FFFFFFFFFFFFFFF
                      | 0x1000000000000000)


class Ca:
    """An `openssl ca` working folder for one issuing key."""

    def __init__(self, work, name, key, cert):
        self.dir = work / name
        (self.dir / "newcerts").mkdir(parents=True)
        (self.dir / "index.txt").write_text("")
        (self.dir / "crlnumber").write_text("01\n")
        self.config = self.dir / "ca.cnf"
        self.config.write_text(CA_CONFIG.format(dir=self.dir))
        self.key, self.cert = key, cert

    def issue(self, csr, out, serial, start, end, ext, selfsign=False):
        (self.dir / "serial").write_text(serial + "\n")
        args = ["ca", "-batch", "-config", str(self.config), "-in", str(csr), "-out", str(out),
                "-keyfile", str(self.key), "-startdate", start, "-enddate", end,
                "-extensions", ext, "-preserveDN", "-notext", "-md", "sha256"]
        args += ["-selfsign"] if selfsign else ["-cert", str(self.cert)]
        run(*args)

    def csr(self, key, subject, out):
        run("req", "-new", "-config", str(self.config), "-key", str(key), "-subj", subject,
            "-out", str(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--stamp", type=Path, help="file touched when everything is written")
    args = parser.parse_args()

    personas = []
    for f in sorted(args.personas.glob("*.json")):
        with open(f, encoding="utf-8") as fh:
            personas.append(json.load(fh))

    out = args.out
    work = out / ".work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    # CAs cover every persona's dates, so a test can set "now" anywhere in a persona's life.
    ca_start, ca_end = asn1_time(now, -4000), asn1_time(now, 4000)

    root_key, root_pem = out / "jpki-auth-root.key", out / "jpki-auth-root.pem"
    ca_key, ca_pem = out / "jpki-auth-ca.key", out / "jpki-auth-ca.pem"
    sign_key, sign_pem = out / "jpki-sign-ca.key", out / "jpki-sign-ca.pem"
    for key in (root_key, ca_key, sign_key):
        gen_key(key)

    root = Ca(work, "root", root_key, root_pem)
    root.csr(root_key, ROOT_DN, work / "root.csr")
    root.issue(work / "root.csr", root_pem, "01", ca_start, ca_end, "ext_root", selfsign=True)
    root.csr(ca_key, AUTH_CA_DN, work / "ca.csr")
    root.issue(work / "ca.csr", ca_pem, "02", ca_start, ca_end, "ext_ca")

    sign_ca = Ca(work, "sign", sign_key, sign_pem)
    sign_ca.csr(sign_key, SIGN_CA_DN, work / "sign.csr")
    sign_ca.issue(work / "sign.csr", sign_pem, "01", ca_start, ca_end, "ext_root", selfsign=True)

    auth_ca = Ca(work, "auth", ca_key, ca_pem)
    summary = {"generatedAt": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "personas": {}}
    for p in personas:
        pid = p["id"]
        pdir = out / "personas" / pid
        pdir.mkdir(parents=True, exist_ok=True)
        if p["kind"] == "not-mynumber":
            continue
        cert = p.get("authCert", {})
        start, end = cert.get("notBeforeDays", -365), cert.get("notAfterDays", 1460)
        serial = serial_for("auth:" + pid)
        cn = "JPKITEST" + hashlib.sha256(pid.encode()).hexdigest()[:16].upper()
        gen_key(pdir / "auth.key")
        auth_ca.csr(pdir / "auth.key", "/C=JP/CN=" + cn, work / (pid + ".csr"))
        auth_ca.issue(work / (pid + ".csr"), pdir / "auth.pem", serial, asn1_time(now, start),
                      asn1_time(now, end), "ext_auth")
        if cert.get("revoked", False):
            run("ca", "-batch", "-config", str(auth_ca.config), "-keyfile", str(ca_key), "-cert",
                str(ca_pem), "-revoke", str(pdir / "auth.pem"), "-crl_reason", "keyCompromise")
        if p.get("signingCert", True):
            gen_key(pdir / "sign.key")
            sign_ca.csr(pdir / "sign.key", "/C=JP/CN=" + cn, work / (pid + "-sign.csr"))
            sign_ca.issue(work / (pid + "-sign.csr"), pdir / "sign.pem", serial_for("sign:" + pid),
                          asn1_time(now, start), asn1_time(now, end), "ext_sign")
        if p["kind"] == "mynumber":
            gen_key(pdir / "card.key")
        summary["personas"][pid] = {
            "authSerial": serial, "authSubjectCN": cn,
            "notBefore": asn1_time(now, start), "notAfter": asn1_time(now, end),
            "revoked": cert.get("revoked", False)}

    run("ca", "-batch", "-config", str(auth_ca.config), "-keyfile", str(ca_key), "-cert",
        str(ca_pem), "-gencrl", "-crldays", "3650", "-out", str(out / "jpki-auth-ca.crl.pem"))

    for name in ("kenmen-cvca", "kenmen-issuer"):
        gen_key(out / (name + ".key"))
        run("pkey", "-in", str(out / (name + ".key")), "-pubout", "-out",
            str(out / (name + ".pub.pem")))

    (out / "pki.json").write_text(json.dumps(summary, indent=2) + "\n")
    shutil.rmtree(work, ignore_errors=True)
    if args.stamp:
        args.stamp.write_text(summary["generatedAt"] + "\n")


if __name__ == "__main__":
    main()
