// The store-conformance suite: every ConfirmationLog store must pass the same tests. A harness
// gives each test a fresh, empty database and raw SQL access to it (for tampering).
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "terminal/log/confirmation_log.h"

namespace uketsuke::terminal::testing {

class StoreHarness {
  public:
    virtual ~StoreHarness() = default;
    // Opens another store object on this test's database (another terminal, in effect).
    // With `key`, the chain is HMAC-keyed with a fixed test key.
    virtual LogResult<std::unique_ptr<ConfirmationLog>> open(bool key) = 0;
    // Runs SQL directly on the database, bypassing the store; fails the test on error.
    virtual void execRaw(const std::string& sql) = 0;
};

struct HarnessFactory {
    std::string name;
    std::function<std::unique_ptr<StoreHarness>()> make;
};

inline void PrintTo(const HarnessFactory& f, std::ostream* os) {
    *os << f.name;
}

class StoreConformance : public ::testing::TestWithParam<HarnessFactory> {
  protected:
    void SetUp() override {
        harness_ = GetParam().make();
        ASSERT_NE(harness_, nullptr) << "the " << GetParam().name << " store is not available";
    }
    std::unique_ptr<ConfirmationLog> openStore(bool key = false) {
        auto log = harness_->open(key);
        EXPECT_TRUE(log.ok()) << (log.ok() ? "" : log.error().toString());
        return log.ok() ? std::move(log).takeValue() : nullptr;
    }

    std::unique_ptr<StoreHarness> harness_;
};

// A 32-byte test key in the chain key file format (hex).
inline constexpr const char* kTestChainKeyHex =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

}  // namespace uketsuke::terminal::testing
