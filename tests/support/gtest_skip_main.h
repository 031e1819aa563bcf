// A GoogleTest exit status CTest can tell apart: 77 when the run skipped a test and none failed.
// CTest calls a test "Passed" whenever its process exits 0, so a GTEST_SKIP inside a plain
// add_test (one process running many cases) would be reported as passing. Tests registered with
// SKIP_RETURN_CODE 77 (uketsuke_gtest_test() in tests/CMakeLists.txt) then show as Skipped, and
// scripts/check-skips.py fails CI unless tests/skip-allowlist.txt names them with a reason.
#pragma once

#include <gtest/gtest.h>

namespace uketsuke::testing {

inline constexpr int kSkipExitCode = 77;

// The exit status for RUN_ALL_TESTS()'s result `rc`.
inline int exitStatusWithSkips(int rc) {
    const auto* unit = ::testing::UnitTest::GetInstance();
    if (rc == 0 && unit->skipped_test_count() > 0 && unit->failed_test_count() == 0)
        return kSkipExitCode;
    return rc;
}

}  // namespace uketsuke::testing
