// One error table per module, one behaviour: a row per enumerator of the module's error enum, in
// enum order, checked when the table is compiled; a value outside the enum (only a bad cast makes
// one) reads the table's "unknown" row. Rows are the module's own {code, name, description}
// struct (CardErrorInfo, LogErrorInfo, ...).
//
//   constexpr ErrorTable kErrors{std::array{Row{C::kA, "a", "..."}, ...}, Row{C::kA, "unknown",
//   ...}}; static_assert(kErrors.complete(C::kLast), "one row per enumerator, in enum order");
#pragma once

#include <array>
#include <cstddef>

namespace uketsuke {

template <typename Row, std::size_t N>
class ErrorTable {
  public:
    using Code = decltype(Row::code);

    constexpr ErrorTable(std::array<Row, N> rows, Row unknown) : rows_(rows), unknown_(unknown) {}

    // Row i holds enumerator i and the last row holds `last`: a missing, extra or misplaced row
    // fails the static_assert next to the table.
    constexpr bool complete(Code last) const {
        for (std::size_t i = 0; i < N; ++i) {
            if (static_cast<std::size_t>(rows_[i].code) != i)
                return false;
        }
        return N > 0 && rows_[N - 1].code == last;
    }

    constexpr const Row& operator[](Code code) const {
        const auto i = static_cast<std::size_t>(code);
        return i < N ? rows_[i] : unknown_;
    }

    constexpr const std::array<Row, N>& rows() const { return rows_; }

  private:
    std::array<Row, N> rows_;
    Row unknown_;
};

}  // namespace uketsuke
