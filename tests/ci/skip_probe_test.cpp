// Probe for tests/ci: one passing case (with 100 KB of output, more than CTest keeps of a passing
// test's output), two skipped cases, and (with UKETSUKE_PROBE_FAIL=1 in the environment) one
// failing case. The CI check test runs it to show that a skip inside a one-process suite exits 77
// (Skipped in CTest), that the skipped cases reach the JUnit file, and that a failure still wins.
#include <cstdlib>
#include <iostream>
#include <string>

#include <gtest/gtest.h>

TEST(SkipProbe, PassesLoudly) {
    for (int i = 0; i < 1000; ++i)
        std::cout << std::string(99, 'x') << '\n';
    EXPECT_EQ(1 + 1, 2);
}

TEST(SkipProbe, Skips) {
    GTEST_SKIP() << "probe: skipped on purpose";
}

TEST(SkipProbeData, NeedsData) {
    GTEST_SKIP() << "probe: data absent";
}

TEST(SkipProbe, FailsWhenAsked) {
    const char* fail = std::getenv("UKETSUKE_PROBE_FAIL");
    EXPECT_NE(std::string(fail ? fail : ""), "1") << "probe: failing on purpose";
}
