// CardFrontError table (vision/card_front/card_front_error.h).
#include "vision/card_front/card_front_error.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace cf = uketsuke::vision::card_front;

// Purpose: every enumerator has its own entry with a unique, non-empty name and a description.
TEST(CardFrontError, TableCoversEveryCode) {
    std::set<std::string> names;
    for (int c = int(cf::CardFrontError::kImageEmpty); c <= int(cf::CardFrontError::kInternal);
         ++c) {
        const auto e = cf::CardFrontError(c);
        const auto& info = cf::cardFrontErrorInfo(e);
        EXPECT_EQ(info.code, e);
        EXPECT_FALSE(info.description.empty());
        EXPECT_TRUE(names.insert(std::string(info.name)).second) << info.name;
    }
}
