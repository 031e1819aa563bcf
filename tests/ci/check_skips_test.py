#!/usr/bin/env python3
"""Test of CI's skip check (scripts/check-skips.py) on JUnit files written by the real ctest.

A throw-away CTest project runs the gtest skip probe (tests/ci/skip_probe_test.cpp, linked with
tests/support/gtest_skip_main.cpp) as one plain add_test, like e2e.postgresql, next to a
discovered-style test matched by SKIP_REGULAR_EXPRESSION. The check must fail on any skip outside
the allow-list, pass when each is listed with a reason, honour `absent:` conditions, refuse an
entry without a reason, and never let a skipped-and-failed test through.

Usage: check_skips_test.py PROBE_BINARY CHECKER_SCRIPT
"""
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest
import xml.etree.ElementTree as ET

PROBE, CHECKER = sys.argv[1], sys.argv[2]


class CheckSkipsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        src = os.path.join(cls.tmp.name, "src")
        os.makedirs(src)
        with open(os.path.join(src, "CMakeLists.txt"), "w") as f:
            f.write(textwrap.dedent(f"""\
                cmake_minimum_required(VERSION 3.21)
                project(probe NONE)
                enable_testing()
                add_test(NAME ok COMMAND true)
                add_test(NAME suite.one_process COMMAND {PROBE})
                set_tests_properties(suite.one_process PROPERTIES SKIP_RETURN_CODE 77)
                add_test(NAME suite.one_process_failing COMMAND {PROBE})
                set_tests_properties(suite.one_process_failing PROPERTIES SKIP_RETURN_CODE 77
                                     ENVIRONMENT UKETSUKE_PROBE_FAIL=1)
                add_test(NAME discovered.SkipProbeData.NeedsData
                         COMMAND {PROBE} --gtest_filter=SkipProbeData.NeedsData)
                set_tests_properties(discovered.SkipProbeData.NeedsData PROPERTIES
                                     SKIP_REGULAR_EXPRESSION "\\\\[  SKIPPED \\\\]")
                """))
        build = os.path.join(cls.tmp.name, "build")
        subprocess.run(["cmake", "-S", src, "-B", build], check=True, stdout=subprocess.DEVNULL)
        cls.junit = os.path.join(build, "junit.xml")
        # The options of scripts/test.sh: the tail of a long output (gtest's summary) is kept.
        r = subprocess.run(["ctest", "--output-junit", cls.junit, "--test-output-size-passed",
                            "8192", "--test-output-truncation", "tail"], cwd=build,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        cls.ctest_rc = r.returncode
        cls.status = {c.get("name"): c.get("status")
                      for c in ET.parse(cls.junit).getroot().iter("testcase")}

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def check(self, allow_list, junit=None):
        path = os.path.join(self.tmp.name, "allow.txt")
        with open(path, "w") as f:
            f.write(allow_list)
        r = subprocess.run([sys.executable, CHECKER, "--junit", junit or self.junit,
                            "--allow-list", path, "--source-dir", self.tmp.name],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return r.returncode, r.stdout

    def test_ctest_reports_skips_as_skipped_and_failures_as_failed(self):
        self.assertEqual(self.status["ok"], "run")
        self.assertEqual(self.status["suite.one_process"], "notrun")  # exit 77
        self.assertEqual(self.status["discovered.SkipProbeData.NeedsData"], "notrun")
        self.assertEqual(self.status["suite.one_process_failing"], "fail")  # failure wins
        self.assertNotEqual(self.ctest_rc, 0)

    def test_unlisted_skips_fail_naming_each_case(self):
        rc, out = self.check("# empty\n")
        self.assertEqual(rc, 1, out)
        self.assertIn("suite.one_process (SkipProbe.Skips):", out)  # past 100 KB of output
        self.assertIn("suite.one_process (SkipProbeData.NeedsData):", out)
        self.assertIn("discovered.SkipProbeData.NeedsData (SkipProbeData.NeedsData):", out)

    def test_one_unlisted_case_in_a_one_process_suite_is_enough_to_fail(self):
        rc, out = self.check("SkipProbeData\\.NeedsData | always | probe data\n")
        self.assertEqual(rc, 1, out)
        self.assertIn("suite.one_process (SkipProbe.Skips):", out)
        self.assertNotIn("(SkipProbeData.NeedsData):", out)

    def test_listed_skips_pass(self):
        rc, out = self.check("SkipProbe\\.Skips | always | the probe skips on purpose\n"
                             "SkipProbeData\\..* | absent:no-such-data | data set absent here\n")
        self.assertEqual(rc, 0, out)

    def test_absent_condition_fails_once_the_data_is_there(self):
        os.makedirs(os.path.join(self.tmp.name, "data"), exist_ok=True)
        rc, out = self.check("SkipProbe\\.Skips | always | the probe skips on purpose\n"
                             "SkipProbeData\\..* | absent:data | data set absent here\n")
        self.assertEqual(rc, 1, out)
        self.assertIn("(SkipProbeData.NeedsData):", out)

    def test_regex_must_match_the_whole_name(self):
        rc, out = self.check("SkipProbe | always | prefix only\n"
                             "SkipProbeData\\..* | always | ok\n")
        self.assertEqual(rc, 1, out)

    def test_entry_without_reason_is_refused(self):
        rc, out = self.check("SkipProbe\\.Skips | always |\n")
        self.assertEqual(rc, 2, out)

    def test_skipped_test_showing_a_failure_is_never_allowed(self):
        doctored = os.path.join(self.tmp.name, "doctored.xml")
        tree = ET.parse(self.junit)
        for case in tree.getroot().iter("testcase"):
            if case.get("name") == "discovered.SkipProbeData.NeedsData":
                case.find("system-out").text += "\n[  FAILED  ] SkipProbe.Other\n"
        tree.write(doctored)
        rc, out = self.check(".* | always | everything\n", junit=doctored)
        self.assertEqual(rc, 1, out)
        self.assertIn("shows a failure", out)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]])
