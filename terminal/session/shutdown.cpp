#include "terminal/session/shutdown.h"

#include <signal.h>

#include <csignal>

namespace uketsuke::terminal {
namespace {

volatile std::sig_atomic_t gSignal = 0;

void onSignal(int sig) {
    gSignal = sig;
    // The next one is not caught: an operator pressing Ctrl-C twice means "now".
    ::signal(sig, SIG_DFL);
}

}  // namespace

void installShutdownHandlers() {
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGTERM, &sa, nullptr);
    ::sigaction(SIGINT, &sa, nullptr);
}

bool shutdownRequested() {
    return gSignal != 0;
}

int shutdownSignal() {
    return gSignal;
}

}  // namespace uketsuke::terminal
