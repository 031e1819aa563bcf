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
using Table = ErrorTable<Row, 3>;

constexpr ErrorTable kComplete{
    std::array{Row{Code::kA, "a"}, Row{Code::kB, "b"}, Row{Code::kC, "c"}},
    Row{Code::kA, "unknown"}, Code::kA, Code::kC};
// What the constructor refuses (a table built from these does not compile): a missing last row,
// a misplaced row, a duplicated row.
static_assert(Table::complete({Row{Code::kA, "a"}, Row{Code::kB, "b"}, Row{Code::kC, "c"}},
                              Code::kA, Code::kC));
static_assert(!ErrorTable<Row, 2>::complete({Row{Code::kA, "a"}, Row{Code::kB, "b"}}, Code::kA,
                                            Code::kC));
static_assert(!Table::complete({Row{Code::kB, "b"}, Row{Code::kA, "a"}, Row{Code::kC, "c"}},
                               Code::kA, Code::kC));
static_assert(!Table::complete({Row{Code::kA, "a"}, Row{Code::kA, "a"}, Row{Code::kC, "c"}},
                               Code::kA, Code::kC));

// An enum that starts at 1 (vision's errors): row i holds first + i; the first row is required.
enum class FromOne { kX = 1, kY };
struct OneRow {
    FromOne code;
    std::string_view name;
};
constexpr ErrorTable kFromOne{std::array{OneRow{FromOne::kX, "x"}, OneRow{FromOne::kY, "y"}},
                              OneRow{FromOne::kY, "unknown"}, FromOne::kX, FromOne::kY};
static_assert(!ErrorTable<OneRow, 1>::complete({OneRow{FromOne::kY, "y"}}, FromOne::kX,
                                               FromOne::kY));

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
