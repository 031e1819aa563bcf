// The one error-table template (common/uketsuke/error_table.h): completeness is checked at
// compile time, and a value outside the enum reads the "unknown" row (one behaviour everywhere).
#include "uketsuke/error_table.h"

#include <gtest/gtest.h>

#include <string_view>

#include "card/card_error.h"

namespace uketsuke {
namespace {

enum class Code { kA, kB, kC };
struct Row {
    Code code;
    std::string_view name;
};

constexpr ErrorTable kComplete{
    std::array{Row{Code::kA, "a"}, Row{Code::kB, "b"}, Row{Code::kC, "c"}},
    Row{Code::kA, "unknown"}};
static_assert(kComplete.complete(Code::kA, Code::kC));
// A missing last row, a misplaced row and a duplicated row are all incomplete.
static_assert(!ErrorTable{std::array{Row{Code::kA, "a"}, Row{Code::kB, "b"}}, Row{Code::kA, "u"}}
                   .complete(Code::kA, Code::kC));
static_assert(!ErrorTable{
    std::array{Row{Code::kB, "b"}, Row{Code::kA, "a"}, Row{Code::kC, "c"}},
    Row{Code::kA,
        "u"}}.complete(Code::kA, Code::kC));
static_assert(!ErrorTable{
    std::array{Row{Code::kA, "a"}, Row{Code::kA, "a"}, Row{Code::kC, "c"}},
    Row{Code::kA,
        "u"}}.complete(Code::kA, Code::kC));

// An enum that starts at 1 (vision's errors): row i holds first + i; the first row is required.
enum class FromOne { kX = 1, kY };
struct OneRow {
    FromOne code;
    std::string_view name;
};
constexpr ErrorTable kFromOne{std::array{OneRow{FromOne::kX, "x"}, OneRow{FromOne::kY, "y"}},
                              OneRow{FromOne::kY, "unknown"}};
static_assert(kFromOne.complete(FromOne::kX, FromOne::kY));
static_assert(!ErrorTable{std::array{OneRow{FromOne::kY, "y"}}, OneRow{FromOne::kY, "u"}}.complete(
    FromOne::kX, FromOne::kY));

// errorTable() builds a table at compile time and refuses an incomplete one (that does not
// compile: "error table incomplete").
constexpr auto kBuilt = errorTable<Row, Code::kA, Code::kC>(
    {{Code::kA, "a"}, {Code::kB, "b"}, {Code::kC, "c"}}, {Code::kA, "unknown"});
static_assert(kBuilt[Code::kC].name == "c");

TEST(ErrorTable, LooksUpByCodeAndOutOfRangeIsUnknown) {
    EXPECT_EQ(kComplete[Code::kB].name, "b");
    EXPECT_EQ(kComplete[static_cast<Code>(7)].name, "unknown");
    EXPECT_EQ(kFromOne[FromOne::kY].name, "y");
    EXPECT_EQ(kFromOne[static_cast<FromOne>(0)].name, "unknown");
    EXPECT_EQ(kFromOne[static_cast<FromOne>(3)].name, "unknown");
}

TEST(ErrorTable, CardErrorsUseIt) {
    EXPECT_EQ(card::cardErrorName(card::CardErrorCode::kCardRemoved), "card-removed");
    EXPECT_EQ(card::cardErrorName(static_cast<card::CardErrorCode>(9999)), "unknown");
}

}  // namespace
}  // namespace uketsuke
