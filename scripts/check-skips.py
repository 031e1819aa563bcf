#!/usr/bin/env python3
"""Fails CI when a test was skipped (or disabled) without a reason in the skip allow-list.

CTest reports a skipped test as passed-with-a-note: `ctest` exits 0, so a suite that silently
stops running (a missing PKI, a missing command, a lost fixture) would keep CI green. This reads
the JUnit file of `ctest --output-junit` and lists every test whose status is `notrun` (skip
regular expression or SKIP_RETURN_CODE) or `disabled`. Each must match an entry of the allow-list
(tests/skip-allowlist.txt), one a line:

    <regex, full match on the test name> | <condition> | <reason>

The test name is the GoogleTest case (Suite.Case, from the "[  SKIPPED ] Suite.Case" lines of the
test's output; a suite run as one process names every case it skipped), else the CTest name.
Run ctest with --test-output-truncation tail so that gtest's closing summary reaches the JUnit file.

<condition> is `always`, or `absent:<path>` (relative to the source tree): the skip is allowed
only while that path does not exist, e.g. the ../shared data set outside the dev machines.
A reason is mandatory. A skipped test whose output also shows a failure ("[  FAILED  ]",
"FAIL!  :") counts as failed, allow-listed or not.

Usage: check-skips.py --junit FILE --allow-list FILE [--source-dir DIR]
Exit status: 0 when every skip is allowed, 1 when one is not, 2 on a malformed input.
"""
import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET

FAILURE_MARKERS = ("[  FAILED  ]", "FAIL!  :")
# "[  SKIPPED ] Suite.Case" (and Prefix/Suite.Case/0), not the "[  SKIPPED ] 3 tests," summary.
GTEST_SKIPPED = re.compile(r"^\[  SKIPPED \] ([A-Za-z_][\w/]*\.[\w/]+)(?:[ ,].*)?$", re.M)


class AllowListError(Exception):
    pass


def parse_allow_list(path):
    entries = []
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            parts = [p.strip() for p in line.split("|")]
            if len(parts) != 3:
                raise AllowListError(f"{path}:{number}: want 'regex | condition | reason'")
            pattern, condition, reason = parts
            if not reason:
                raise AllowListError(f"{path}:{number}: a skip needs a reason")
            if condition != "always" and not condition.startswith("absent:"):
                raise AllowListError(f"{path}:{number}: condition must be 'always' or "
                                     f"'absent:<path>', not {condition!r}")
            try:
                regex = re.compile(pattern)
            except re.error as e:
                raise AllowListError(f"{path}:{number}: bad regex {pattern!r}: {e}") from e
            entries.append((regex, condition, reason, number))
    return entries


def skipped_tests(junit_path):
    """(name, kind, output) of each test that did not run: kind is 'skipped' or 'disabled'."""
    root = ET.parse(junit_path).getroot()
    cases = root.iter("testcase")
    out = []
    for case in cases:
        status = case.get("status", "")
        text = case.findtext("system-out") or ""
        if status == "notrun" and case.find("skipped") is not None:
            out.append((case.get("name"), "skipped", text))
        elif status == "disabled":
            out.append((case.get("name"), "disabled", text))
    return out


def skip_message(output):
    """The gtest/QtTest skip lines of a test's output, for the report."""
    lines = [l.strip() for l in output.splitlines()
             if "Skipped" in l or "SKIP" in l or "skipped" in l]
    return "; ".join(lines[:3])[:300]


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--junit", required=True)
    p.add_argument("--allow-list", required=True)
    p.add_argument("--source-dir", default=os.path.join(os.path.dirname(__file__), ".."))
    args = p.parse_args(argv)
    try:
        entries = parse_allow_list(args.allow_list)
        skipped = skipped_tests(args.junit)
    except (AllowListError, ET.ParseError, OSError) as e:
        print(f"check-skips: {e}", file=sys.stderr)
        return 2

    bad = []
    for name, kind, output in skipped:
        if any(marker in output for marker in FAILURE_MARKERS):
            bad.append(f"{name}: {kind}, but its output shows a failure")
            continue
        cases = sorted(set(GTEST_SKIPPED.findall(output))) or [name]
        for case in cases:
            allowed = None
            for regex, condition, reason, number in entries:
                if not regex.fullmatch(case):
                    continue
                if condition.startswith("absent:"):
                    path = os.path.join(args.source_dir, condition[len("absent:"):])
                    if os.path.exists(path):
                        continue  # the data is here: the test must run
                allowed = (reason, number)
                break
            label = name if case == name else f"{name} ({case})"
            if allowed:
                print(f"check-skips: {label} {kind} (allowed, line {allowed[1]}: {allowed[0]})")
            else:
                bad.append(f"{label}: {kind} [{skip_message(output)}]")
    if bad:
        print(f"check-skips: {len(bad)} test(s) did not run and are not in {args.allow_list}:",
              file=sys.stderr)
        for b in bad:
            print(f"  {b}", file=sys.stderr)
        return 1
    print(f"check-skips: {len(skipped)} skipped test(s), all allowed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
