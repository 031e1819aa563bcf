// Order statistics of a sample, on a copy (the caller's order is kept): the per-window medians of
// the presentation-attack cues, the liveness residual and the card-edge profiles.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <utility>
#include <vector>

namespace uketsuke::vision {

// The element of rank `k` (0: the smallest) of a non-empty sample, k < values.size().
template <typename T>
T nthSmallest(std::vector<T> values, std::size_t k) {
    const auto nth = std::next(values.begin(), static_cast<std::ptrdiff_t>(k));
    std::nth_element(values.begin(), nth, values.end());
    return *nth;
}

// The upper median (rank size / 2) of a non-empty sample.
template <typename T>
T medianOf(std::vector<T> values) {
    const std::size_t k = values.size() / 2;
    return nthSmallest(std::move(values), k);
}

}  // namespace uketsuke::vision
