// Unit tests of the 目視 staff authentication (terminal/session/staff_auth.h).
#include "terminal/session/staff_auth.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace uketsuke::terminal {
namespace {

// The file stores a salted hash that round-trips and accepts only the right password and ID.
TEST(StaffAuth, AcceptsOnlyKnownStaffWithThePassword) {
    auto file = StaffFile::create(SecretBytes("facility-pass"), {"S001"}, 100000);
    ASSERT_TRUE(file.ok());
    const auto path = std::filesystem::temp_directory_path() / "uketsuke-staff-test.json";
    ASSERT_TRUE(file->save(path).ok());
    auto loaded = StaffFile::load(path);
    std::filesystem::remove(path);
    ASSERT_TRUE(loaded.ok());
    StaffAuthenticator auth(loaded.value(), {});
    const auto now = std::chrono::steady_clock::now();
    EXPECT_EQ(auth.check("S001", SecretBytes("facility-pass"), now), StaffAuthOutcome::kAccepted);
    EXPECT_EQ(auth.check("S001", SecretBytes("other"), now), StaffAuthOutcome::kWrongPassword);
    EXPECT_EQ(auth.check("S999", SecretBytes("facility-pass"), now),
              StaffAuthOutcome::kUnknownStaff);
}

// After maxFailures failures even the right password is refused until the lockout has passed.
TEST(StaffAuth, LocksOutAfterRepeatedFailures) {
    auto file = StaffFile::create(SecretBytes("facility-pass"), {"S001"}, 100000);
    ASSERT_TRUE(file.ok());
    StaffAuthenticator auth(file.value(), StaffAuthPolicy{3, std::chrono::seconds(30)});
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i)
        auth.check("S001", SecretBytes("wrong"), t0);
    EXPECT_EQ(auth.check("S001", SecretBytes("facility-pass"), t0 + std::chrono::seconds(10)),
              StaffAuthOutcome::kLockedOut);
    EXPECT_EQ(auth.check("S001", SecretBytes("facility-pass"), t0 + std::chrono::seconds(31)),
              StaffAuthOutcome::kAccepted);
}

// A weak hash (too few iterations) or a short password is refused when creating the file.
TEST(StaffAuth, RefusesWeakSettings) {
    EXPECT_FALSE(StaffFile::create(SecretBytes("facility-pass"), {"S001"}, 1000).ok());
    EXPECT_FALSE(StaffFile::create(SecretBytes("short"), {"S001"}).ok());
}

}  // namespace
}  // namespace uketsuke::terminal
