// SIGTERM / SIGINT for headless terminals (issue 14, crash hygiene): the signal only sets a flag;
// the session driver polls it between steps and ends the open session as aborted
// ("terminal-shutdown"), so the log gets its row and nothing is left half-published.
#pragma once

namespace uketsuke::terminal {

// Installs the handlers (SA_RESTART: a system call in progress completes, then the driver sees
// the flag). A second signal while shutting down ends the process at once (default action).
void installShutdownHandlers();
bool shutdownRequested();
// The signal number that asked for the shutdown, 0 when none.
int shutdownSignal();

}  // namespace uketsuke::terminal
