// guardedMain: a program's main that cannot end in std::terminate. An exception escaping the body
// (a bad option value, allocation failure while setting up, anything a tool did not expect) is one
// line on stderr and the given exit status, never an abort with a core dump.
#pragma once

#include <cstdio>
#include <exception>
#include <utility>

namespace uketsuke {

template <class Body>
int guardedMain(const char* program, int failureStatus, Body&& body) noexcept {
    try {
        return std::forward<Body>(body)();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", program, e.what());
    } catch (...) {
        std::fprintf(stderr, "%s: unexpected error\n", program);
    }
    return failureStatus;
}

}  // namespace uketsuke
