#!/usr/bin/env python3
"""OpenSC interoperability test: Debian's opensc (opensc-tool, pkcs15-tool, pkcs11-tool with
opensc-pkcs11.so) against the virtual card, one persona per run (card-protocol.md Errata 7).

Third-party middleware that shares no code with Uketsuke reads the virtual card the way it reads a
real My Number Card. A persona on which a real card would pass must pass; the others must fail
the way a real card would, and nothing may spend a PIN try (the counters are read through the
virtual card's control socket before and after).

  opensc_interop.py --build-dir BUILD --persona ID [--reader "Virtual PCD 00 00"]

Needs the card_services fixture (scripts/services.sh start BUILD). Exit 0 when every step ends as
the persona's expectations say, 1 otherwise; prints one line per step.
"""
import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

PKCS11_MODULE = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"
JPKI_ATR = "3B:E0:00:FF:81:31:FE:45:14"
PASS, REFUSED = "pass", "refused"

# What OpenSC 0.23 must do with each persona, step by step, and why a real card would do the
# same. Steps: bind (pkcs15 emulation binds: lists certificates, PINs, dump), cert (read the auth
# certificate without a PIN), chain (openssl verify of the card's certificate and CA against the
# build's test PKI: "ok", "expired" or "revoked"), login, sign (pkcs11-tool SHA256-RSA-PKCS,
# verified with openssl), login2 (a second login in the same card session).
ORDINARY = dict(jpki=True, bind=PASS, cert=PASS, chain="ok", login=PASS, sign=PASS, login2=PASS)
EXPECTATIONS = {
    "normal": dict(ORDINARY),
    "normal-2": dict(ORDINARY),
    "normal-3": dict(ORDINARY),
    "renewal-due": dict(ORDINARY),
    # Expired certificates: OpenSC reads and signs as with any card; openssl refuses the chain.
    "expired-cert": dict(ORDINARY, chain="expired"),
    "expired-grace": dict(ORDINARY, chain="expired"),
    # On the CRL: the chain verifies without the CRL and is refused with it.
    "revoked": dict(ORDINARY, chain="revoked"),
    # A child's card: the signing password key 001B exists but is blocked (no password set), so
    # the driver binds; the auth PIN works as on any card.
    "no-signing-cert": dict(ORDINARY),
    # Auth PIN blocked: the query answers 63C0, OpenSC binds, every login is refused (6984) and
    # nothing is spent (there is nothing left to spend; the counter stays 0).
    "pin-locked": dict(ORDINARY, login=REFUSED, sign=REFUSED, login2=REFUSED),
    # 顔認証マイナンバーカード (default variant): no PIN, the query answers 63C0 like a blocked
    # PIN; OpenSC binds and reads the certificate, login is refused like on a blocked card.
    "face-auth": dict(ORDINARY, login=REFUSED, sign=REFUSED, login2=REFUSED),
    # The 6984 variant (Errata 7 [U]): OpenSC 0.23 treats any non-63Cx answer to the query as an
    # error, so the pkcs15 emulation cannot bind at all. A real card answering 6984 would fail the
    # same way; the terminal handles both answers.
    "face-auth-6984": dict(ORDINARY, bind=REFUSED, cert=REFUSED, chain=None, login=REFUSED,
                           sign=REFUSED, login2=REFUSED),
    # The 9000-when-verified variant (card-protocol.md §4, single-source): the first login
    # passes; OpenSC leaves the card verified (disconnect_action = leave), so the next process's
    # bind queries the counter in the same card session, gets 9000 and OpenSC 0.23 takes it for
    # an error: the sign (a second login) and the login after it fail. This is why the default
    # answers 63Cx (Errata 2, 7) — and it shows that the steps share one card session.
    "normal-query-9000": dict(ORDINARY, sign=REFUSED, login2=REFUSED),
    # Smartphone JPKI token: the auth certificate needs the PIN even to be read (card-protocol.md
    # §2.1); with the PIN (pkcs15-tool --verify-pin) it reads and verifies, login and sign pass.
    "smartphone": dict(ORDINARY, cert="after-pin"),
    # Not a My Number Card: no JPKI ATR (OpenSC must not bind its jpki driver by ATR) and the
    # JPKI AID answers 6A82, so the jpki driver does not bind by SELECT either.
    "not-mynumber": dict(jpki=False, bind=REFUSED, cert=REFUSED, chain=None, login=REFUSED,
                         sign=REFUSED, login2=REFUSED),
}


class Interop:
    def __init__(self, build, persona, reader):
        self.build = build
        self.persona = persona
        self.reader = reader
        self.sock = os.path.join(build, "run", "vcard.sock")
        self.pki = os.path.join(build, "pki")
        with open(os.path.join(build, "sim", "personas", persona + ".json"), encoding="utf-8") as f:
            self.p = json.load(f)
        self.pin = self.p.get("authPin", {}).get("value", "0000") or "0000"
        self.failures = []
        self.tmp = tempfile.mkdtemp(prefix="uketsuke-interop-")

    # ------------------------------------------------------------------ plumbing
    def control(self, line):
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(10)
            s.connect(self.sock)
            s.sendall((line + "\n").encode())
            answer = b""
            while not answer.endswith(b"\n"):
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        return answer.decode().strip()

    def status(self):
        return dict(kv.split("=", 1) for kv in self.control("status").split()[1:] if "=" in kv)

    def run(self, args, timeout=60, secret=None):
        shown = " ".join("****" if secret is not None and a == secret else a for a in args)
        try:
            r = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return 124, "", "timeout after %ds: %s" % (timeout, shown)
        out = r.stdout.replace(secret, "****") if secret else r.stdout
        err = r.stderr.replace(secret, "****") if secret else r.stderr
        return r.returncode, out, err

    def step(self, name, expected, ok, detail=""):
        """expected: PASS (ok must be True) or REFUSED (ok must be False)."""
        good = ok if expected == PASS else not ok
        mark = "ok  " if good else "FAIL"
        print("%s %-16s expected %-8s got %-8s %s" % (
            mark, name, expected, PASS if ok else REFUSED, detail.strip().replace("\n", " | ")[:300]))
        if not good:
            self.failures.append(name)
        return ok

    def reader_index(self):
        rc, out, _ = self.run(["opensc-tool", "--list-readers"])
        for line in out.splitlines():
            m = re.match(r"\s*(\d+)\s+\S+\s+(.*?)\s*$", line)
            if m and m.group(2).startswith(self.reader):
                return m.group(1), out
        return None, out

    def wait_for_card(self, index, want_atr, seconds=20):
        deadline = time.time() + seconds
        atr = ""
        while time.time() < deadline:
            rc, out, _ = self.run(["opensc-tool", "--reader", index, "--atr"], timeout=10)
            atr = out.strip().upper()
            if rc == 0 and atr == want_atr:
                return atr
            time.sleep(0.3)
        return atr

    def pkcs11(self, *args, pin=True):
        cmd = ["pkcs11-tool", "--module", PKCS11_MODULE, "--slot-index", "0"]
        if pin:
            cmd += ["--login", "--pin", self.pin]
        return self.run(cmd + list(args), secret=self.pin if pin else None)

    # ------------------------------------------------------------------ the run
    def main(self):
        for tool in ("opensc-tool", "pkcs15-tool", "pkcs11-tool", "openssl"):
            if shutil.which(tool) is None:
                print("FAIL %s not found: install Debian's opensc (scripts/setup.sh)" % tool)
                return 1
        if not os.path.exists(PKCS11_MODULE):
            print("FAIL %s not found: install Debian's opensc (scripts/setup.sh)" % PKCS11_MODULE)
            return 1
        e = EXPECTATIONS.get(self.persona)
        if e is None:
            print("FAIL no expectations for persona %s: add them to %s" % (self.persona, __file__))
            return 1
        assert self.control("reset-state %s" % self.persona).startswith("ok")
        assert self.control("insert %s" % self.persona).startswith("ok")
        want_atr = ":".join(re.findall(
            "..", re.sub(r"[^0-9A-F]", "", self.p.get("atr", JPKI_ATR).upper()))) \
            if self.p.get("atr") else JPKI_ATR
        index, listing = self.reader_index()
        self.step("list-readers", PASS, index is not None, "reader %s: %s" % (index, self.reader))
        if index is None:
            print(listing)
            return 1
        # `insert` swaps cards asynchronously: the old card leaves the reader (for ≥ 1 s, so
        # pcscd sees it) and the new one comes in. Wait for that gap first, or the old card's
        # identical ATR would be taken for the new card and the steps would race the swap.
        deadline = time.time() + 5
        while time.time() < deadline:
            rc, _, _ = self.run(["opensc-tool", "--reader", index, "--atr"], timeout=10)
            if rc != 0:
                break
            time.sleep(0.1)
        atr = self.wait_for_card(index, want_atr)
        self.step("atr", PASS, atr == want_atr, atr)
        before = self.status()
        print("     counters before: auth_pin_tries=%s kenmen_b_tries=%s" % (
            before.get("auth_pin_tries"), before.get("kenmen_b_tries")))
        # Which driver OpenSC binds (by ATR, then by each driver's match): jpki only on JPKI cards.
        rc, out, err = self.run(["opensc-tool", "--reader", index, "--name"])
        name = out.strip()
        self.step("driver-jpki", PASS if e["jpki"] else REFUSED, rc == 0 and name == "jpki",
                  name or err)

        r = ["--reader", index]
        rc, out, err = self.run(["pkcs15-tool"] + r + ["--list-certificates"])
        self.step("list-certificates", e["bind"],
                  rc == 0 and "User Authentication Certificate" in out, out + err)
        rc, out, err = self.run(["pkcs15-tool"] + r + ["--list-pins"])
        self.step("list-pins", e["bind"], rc == 0 and "User Authentication PIN" in out, out + err)
        rc, out, err = self.run(["pkcs15-tool"] + r + ["--dump"])
        self.step("dump", e["bind"], rc == 0 and "User Authentication Key" in out,
                  "%d lines" % len(out.splitlines()) if rc == 0 else err)

        # The auth certificate (ID 01) and its CA (ID 03), as OpenSC reads them.
        cert_pem = os.path.join(self.tmp, "auth.pem")
        ca_pem = os.path.join(self.tmp, "ca.pem")
        read = ["pkcs15-tool"] + r
        if e["cert"] == "after-pin":
            rc, out, err = self.run(read + ["--read-certificate", "01"])
            self.step("read-cert-no-pin", REFUSED, rc == 0 and "BEGIN CERTIFICATE" in out,
                      (out + err)[-200:])
            read = read + ["--verify-pin", "--pin", self.pin]
        rc, out, err = self.run(read + ["--read-certificate", "01", "--output", cert_pem],
                                secret=self.pin)
        cert_ok = rc == 0 and os.path.exists(cert_pem) and self.same_cert(cert_pem)
        self.step("read-cert", PASS if e["cert"] in (PASS, "after-pin") else REFUSED, cert_ok,
                  "matches pki/personas/%s/auth.pem" % self.persona if cert_ok else err)
        rc, out, err = self.run(read + ["--read-certificate", "03", "--output", ca_pem],
                                secret=self.pin)
        ca_ok = rc == 0 and os.path.exists(ca_pem)
        if e["chain"] is not None:
            self.chain(e["chain"], cert_pem if cert_ok else None, ca_pem if ca_ok else None)

        # PKCS#11: login, sign + openssl verification, a second login in the same card session.
        rc, out, err = self.pkcs11("--list-objects")
        self.step("login", e["login"], rc == 0 and "Private Key Object" in out,
                  self.last_line(out, err))
        if e["login"] == REFUSED and e["bind"] == PASS:
            # A blocked PIN: OpenSC sends the VERIFY anyway, the card answers 6984 (blocked, as
            # a real card does), which OpenSC 0.23 reports as "Reference data not usable" ->
            # CKR_GENERAL_ERROR; never as a wrong PIN (that would mean a try was spent).
            text = out + err
            self.step("login-refusal", PASS,
                      "C_Login failed" in text and "CKR_PIN_INCORRECT" not in text,
                      self.last_line(out, err))
        self.sign(e["sign"], cert_pem if cert_ok else None)
        rc, out, err = self.pkcs11("--list-objects")
        self.step("login-again", e["login2"], rc == 0 and "Private Key Object" in out,
                  self.last_line(out, err))

        after = self.status()
        print("     counters after:  auth_pin_tries=%s kenmen_b_tries=%s" % (
            after.get("auth_pin_tries"), after.get("kenmen_b_tries")))
        self.step("nothing-spent", PASS,
                  before.get("auth_pin_tries") == after.get("auth_pin_tries") and
                  before.get("kenmen_b_tries") == after.get("kenmen_b_tries"),
                  "auth PIN %s -> %s" % (before.get("auth_pin_tries"), after.get("auth_pin_tries")))
        self.control("reset-state %s" % self.persona)
        self.control("insert normal")
        print("%s: %s" % (self.persona, "FAILED: " + ", ".join(self.failures)
                          if self.failures else "as a real card"))
        return 1 if self.failures else 0

    @staticmethod
    def last_line(out, err):
        """The line that says why (a PKCS#11 return value, an error), else the last line."""
        lines = [l.strip() for l in (out + "\n" + err).splitlines() if l.strip()]
        for l in lines:
            if "rv = " in l or "error" in l.lower() or "failed" in l.lower():
                return l
        return lines[-1] if lines else ""

    def der(self, pem):
        rc, out, _ = self.run(["openssl", "x509", "-in", pem, "-outform", "DER", "-out",
                               pem + ".der"])
        if rc != 0:
            return None
        with open(pem + ".der", "rb") as f:
            return f.read()

    def same_cert(self, pem):
        mine = self.der(pem)
        return mine is not None and mine == self.der(
            os.path.join(self.pki, "personas", self.persona, "auth.pem"))

    def chain(self, expected, cert_pem, ca_pem):
        root = os.path.join(self.pki, "jpki-auth-root.pem")
        if cert_pem is None or ca_pem is None:
            self.step("chain", PASS, False, "certificate or CA not read")
            return
        base = ["openssl", "verify", "-CAfile", root, "-untrusted", ca_pem]
        rc, out, err = self.run(base + [cert_pem])
        text = (out + err).strip()
        if expected == "expired":
            self.step("chain-expired", REFUSED, rc == 0, text)
            self.step("chain-reason", PASS, "certificate has expired" in text, text)
            rc, out, err = self.run(base + ["-no_check_time", cert_pem])
            self.step("chain-ignoring-time", PASS, rc == 0, (out + err).strip())
            return
        self.step("chain", PASS, rc == 0, text)
        crl = os.path.join(self.pki, "jpki-auth-ca.crl.pem")
        rc, out, err = self.run(base + ["-crl_check", "-CRLfile", crl, cert_pem])
        text = (out + err).strip()
        if expected == "revoked":
            self.step("chain-with-crl", REFUSED, rc == 0, text)
            self.step("crl-reason", PASS, "certificate revoked" in text, text)
        else:
            self.step("chain-with-crl", PASS, rc == 0, text)

    def sign(self, expected, cert_pem):
        msg = os.path.join(self.tmp, "message.txt")
        sig = os.path.join(self.tmp, "message.sig")
        with open(msg, "w") as f:
            f.write("Uketsuke OpenSC interoperability %s %f\n" % (self.persona, time.time()))
        rc, out, err = self.pkcs11("--sign", "--mechanism", "SHA256-RSA-PKCS", "--id", "01",
                                   "--input-file", msg, "--output-file", sig)
        signed = rc == 0 and os.path.exists(sig) and os.path.getsize(sig) == 256
        if not signed or cert_pem is None:
            self.step("sign", expected, False, self.last_line(out, err) if not signed
                      else "signed, but no certificate to verify with")
            return
        pub = os.path.join(self.tmp, "auth.pub.pem")
        self.run(["openssl", "x509", "-in", cert_pem, "-pubkey", "-noout", "-out", pub])
        rc, out, err = self.run(["openssl", "dgst", "-sha256", "-verify", pub, "-signature", sig,
                                 msg])
        self.step("sign", expected, rc == 0 and "Verified OK" in out,
                  "openssl: " + (out + err).strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--persona", required=True)
    ap.add_argument("--reader", default="Virtual PCD 00 00")
    a = ap.parse_args()
    return Interop(os.path.abspath(a.build_dir), a.persona, a.reader).main()


if __name__ == "__main__":
    sys.exit(main())
