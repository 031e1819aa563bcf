#!/usr/bin/env bash
# The terminal's boundary (issue 15): the terminal (terminal/) and the kiosk's production code
# (qml/bridge/, qml/kiosk_main.*, qml/main.cpp) never name the simulator's control protocol
# (sim/README.md, "Control socket") nor its persona format (sim/persona.h): those belong to sim/
# (sim/harness/: the scripted patient, the control-socket client) and the demo build (qml/demo/).
#
# Usage: scripts/check-terminal-boundary.sh SOURCE_ROOT [PATH...]
#          exit 0: no path names the simulator; 1: the offending lines are listed
#        scripts/check-terminal-boundary.sh --self-test SOURCE_ROOT PATH...
#          exit 0 when every pattern matches somewhere in PATH... (the check can fail), else 1
# Default paths: the production ones above.
set -euo pipefail

# One extended regex (case-sensitive) per part of the simulator the terminal must not know.
patterns=(
  '[Vv][Cc][Aa][Rr][Dd]'                    # the virtual card: its socket, its client, its binary
  '\b[Pp]ersonas?\b'                        # persona ids, files and folders
  'reset-state|reset-count|delay-ms'        # control-socket verbs
  '"(insert|fault) " \+|"(selects|forbidden)"'  # control-socket requests
  'inserted=[01]|extended-length'           # control-socket answers and modes
  '"(kenmen|authPin|birthDate|cardExpiry|securityCode)"'  # persona file fields
  'photo-source\.png'                       # persona media
)

self_test=0
if [ "${1:-}" = "--self-test" ]; then
  self_test=1
  shift
fi
root=${1:?usage: check-terminal-boundary.sh [--self-test] SOURCE_ROOT [PATH...]}
shift
paths=("$@")
if [ ${#paths[@]} -eq 0 ]; then
  paths=(terminal qml/bridge qml/kiosk_main.cpp qml/kiosk_main.h qml/main.cpp)
fi
cd "$root"
for p in "${paths[@]}"; do
  [ -e "$p" ] || { echo "check-terminal-boundary: $p does not exist under $root" >&2; exit 2; }
done

status=0
for pattern in "${patterns[@]}"; do
  hits=$(grep -rnE --exclude-dir=.git -- "$pattern" "${paths[@]}" || true)
  if [ "$self_test" = 1 ]; then
    if [ -z "$hits" ]; then
      echo "self-test: pattern '$pattern' matches nothing in ${paths[*]}" >&2
      status=1
    else
      echo "self-test: pattern '$pattern' matches $(wc -l <<<"$hits") line(s)"
    fi
  elif [ -n "$hits" ]; then
    echo "check-terminal-boundary: '$pattern' (the simulator's protocol or persona format):" >&2
    echo "$hits" >&2
    status=1
  fi
done
[ "$self_test" = 1 ] || [ "$status" = 1 ] || echo "check-terminal-boundary: ${paths[*]}: clean"
exit $status
