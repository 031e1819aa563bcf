#!/usr/bin/env bash
# Starts or stops the reference qualification service (sim/qualification) for the end-to-end
# tests and the demo, in the background on UKETSUKE_QUALIFICATION_PORT (the port configured into
# BUILD_DIR/uketsuke-demo.json, default 18743). Stopped by the PID recorded when we started it.
# The tests and the demo use the control API (/v1/control/faults …), so it is started with
# --control unless UKETSUKE_QUALIFICATION_CONTROL=0.
#   scripts/qualification-service.sh start BUILD_DIR
#   scripts/qualification-service.sh stop  BUILD_DIR
set -euo pipefail
cmd=${1:?start|stop}; build=$(cd "${2:?build dir}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
run="$build/run"; mkdir -p "$run"
pidfile="$run/qualification.pid"
port=${UKETSUKE_QUALIFICATION_PORT:-$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["qualification"]["port"])' "$build/uketsuke-demo.json")}

alive() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$cmd" in
start)
  if alive; then echo "qualification service: already running ($(cat "$pidfile"))"; exit 0; fi
  control=(); [ "${UKETSUKE_QUALIFICATION_CONTROL:-1}" = 0 ] || control=(--control)
  "$build/sim/qualification/uketsuke-qualification-service" --pki "$build/pki" \
    --insured "$src/sim/qualification/insured.json" --port "$port" --host 127.0.0.1 \
    --staff-registry "$src/sim/qualification/staff-registry.json" \
    "${control[@]}" >"$run/qualification.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 100); do
    grep -q "listening on" "$run/qualification.log" 2>/dev/null && break
    if ! alive; then echo "qualification service failed to start:" >&2; cat "$run/qualification.log" >&2; exit 1; fi
    sleep 0.1
  done
  grep -q "listening on" "$run/qualification.log" || { echo "qualification service did not start" >&2; exit 1; }
  echo "qualification service: pid $(cat "$pidfile"), $(grep 'listening on' "$run/qualification.log")"
  ;;
stop)
  if alive; then
    pid=$(cat "$pidfile"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  ;;
*) echo "usage: $0 start|stop BUILD_DIR" >&2; exit 2 ;;
esac
