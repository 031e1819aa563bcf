// One error table per module, one behaviour: a row per enumerator of the module's error enum, in
// enum order, checked when the table is compiled (the constructor runs at compile time only, so a
// table that is not complete does not compile); a value outside the enum (only a bad cast makes
// one) reads the table's "unknown" row. Rows are ErrorInfo<Code> ({code, name, description}) or a
// module's own struct with a `code` member (the reference service adds its HTTP status).
//
//   constexpr ErrorTable kErrors{std::to_array<ErrorInfo<C>>({
//       {C::kA, "a", "..."},
//       {C::kB, "b", "..."},
//   }), {C::kA, "unknown", "..."}, C::kA, C::kB};
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

    // The table of the enumerators first..last: compiles only when complete(rows, first, last).
    consteval ErrorTable(std::array<Row, N> rows, Row unknown, Code first, Code last)
        : rows_(rows), unknown_(unknown) {
        if (!complete(rows, first, last))
            throw "error table incomplete: one row per enumerator, in enum order";
    }

    // Row i holds the enumerator `first` + i and the last row holds `last`: no row missing, extra
    // or misplaced.
    static constexpr bool complete(const std::array<Row, N>& rows, Code first, Code last) {
        for (std::size_t i = 0; i < N; ++i) {
            if (index(rows[i].code) != index(first) + i)
                return false;
        }
        return N > 0 && rows[N - 1].code == last;
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

}  // namespace uketsuke
