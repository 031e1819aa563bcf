// One error table per module, one behaviour: a row per enumerator of the module's error enum, in
// enum order, checked when the table is compiled; a value outside the enum (only a bad cast makes
// one) reads the table's "unknown" row. Rows are ErrorInfo<Code> ({code, name, description}) or a
// module's own struct with a `code` member (the reference service adds its HTTP status).
//
//   constexpr auto kErrors = errorTable<ErrorInfo<C>, C::kA, C::kB>({
//       {C::kA, "a", "..."},
//       {C::kB, "b", "..."},
//   }, {C::kA, "unknown", "..."});
//
// errorTable() runs at compile time only: a table that is not complete does not compile.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace uketsuke {

template <typename Code>
struct ErrorInfo {
    Code code;
    std::string_view name;         // stable identifier, used in logs and JSON
    std::string_view description;  // one English sentence for logs and the CLI
};

template <typename Row, std::size_t N>
class ErrorTable {
  public:
    using Code = decltype(Row::code);

    constexpr ErrorTable(std::array<Row, N> rows, Row unknown) : rows_(rows), unknown_(unknown) {}

    // Row i holds the enumerator `first` + i and the last row holds `last`: a missing, extra or
    // misplaced row fails the static_assert next to the table.
    constexpr bool complete(Code first, Code last) const {
        for (std::size_t i = 0; i < N; ++i) {
            if (index(rows_[i].code) != index(first) + i)
                return false;
        }
        return N > 0 && rows_[N - 1].code == last;
    }

    constexpr const Row& operator[](Code code) const {
        const std::size_t first = N > 0 ? index(rows_[0].code) : 0;
        const std::size_t i = index(code) - first;
        return index(code) >= first && i < N ? rows_[i] : unknown_;
    }

    constexpr const std::array<Row, N>& rows() const { return rows_; }

  private:
    static constexpr std::size_t index(Code code) { return static_cast<std::size_t>(code); }

    std::array<Row, N> rows_;
    Row unknown_;
};

// The table of `rows` for the enumerators First..Last, checked when it is compiled.
template <typename Row, auto First, auto Last, std::size_t N>
consteval ErrorTable<Row, N> errorTable(const Row (&rows)[N], Row unknown) {
    const ErrorTable<Row, N> checked(std::to_array(rows), unknown);
    if (!checked.complete(First, Last))
        throw "error table incomplete: one row per enumerator, in enum order";
    return checked;
}

}  // namespace uketsuke
