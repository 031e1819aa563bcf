// Result<T, E>: the outcome of an operation that can fail or be cancelled.
//
// Modelled on the Chrome OS Smart Card Connector's RequestResult: Succeeded, Failed or Canceled.
// "Canceled" is not a failure: the card was pulled out or the patient walked away, and callers
// unwind without showing an error. g++ 12 has no <expected> in C++20, hence this small type.
//
// Usage:
//   Result<Bytes, CardError> r = readFile(fid);
//   if (!r) return r.error();            // propagate (Failed or Canceled keep their status)
//   Bytes data = std::move(r).takeValue();
#pragma once

#include <cassert>
#include <optional>
#include <utility>
#include <variant>

namespace uketsuke {

enum class ResultStatus { kSucceeded, kFailed, kCanceled };

// Tag type for building a failed or cancelled result from an error value.
template <typename E>
struct Failure {
    E error;
    ResultStatus status = ResultStatus::kFailed;
};

template <typename E>
Failure<E> fail(E error) {
    return Failure<E>{std::move(error), ResultStatus::kFailed};
}
template <typename E>
Failure<E> cancel(E error) {
    return Failure<E>{std::move(error), ResultStatus::kCanceled};
}

template <typename T, typename E>
class [[nodiscard]] Result {
  public:
    Result(T value) : status_(ResultStatus::kSucceeded), value_(std::move(value)) {}
    Result(Failure<E> f) : status_(f.status), value_(std::move(f.error)) {}

    ResultStatus status() const { return status_; }
    bool ok() const { return status_ == ResultStatus::kSucceeded; }
    bool canceled() const { return status_ == ResultStatus::kCanceled; }
    explicit operator bool() const { return ok(); }

    const T& value() const& {
        assert(ok());
        return std::get<0>(value_);
    }
    T& value() & {
        assert(ok());
        return std::get<0>(value_);
    }
    T takeValue() && {
        assert(ok());
        return std::move(std::get<0>(value_));
    }
    const T* operator->() const { return &value(); }
    const T& operator*() const& { return value(); }

    const E& error() const {
        assert(!ok());
        return std::get<1>(value_);
    }
    // Converts a failure of this result into a failure of another result type,
    // keeping the Failed/Canceled status.
    Failure<E> failure() const {
        assert(!ok());
        return Failure<E>{std::get<1>(value_), status_};
    }

  private:
    ResultStatus status_;
    std::variant<T, E> value_;
};

// Result without a value.
struct Unit {};

template <typename E>
using Status = Result<Unit, E>;

}  // namespace uketsuke
