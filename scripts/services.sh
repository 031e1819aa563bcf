#!/usr/bin/env bash
# Starts or stops the services the terminal and its tests talk to: pcscd (with the vpcd driver)
# and the virtual My Number Card. Each is stopped by the PID recorded when we started it.
#   scripts/services.sh start BUILD_DIR [PERSONA]
#   scripts/services.sh stop  BUILD_DIR
set -euo pipefail
cmd=${1:?start|stop}; build=$(cd "${2:?build dir}" && pwd); persona=${3:-normal}
run="$build/run"; mkdir -p "$run"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
stop_pid() {
  local f=$1
  if alive "$f"; then
    local pid; pid=$(cat "$f"); kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

case "$cmd" in
start)
  if ! alive "$run/pcscd.pid"; then
    if pgrep -x pcscd >/dev/null && [ -S /run/pcscd/pcscd.comm ]; then
      # A developer's own pcscd (it must have loaded vpcd): use it, and leave it running.
      echo "services: using the pcscd already running (not started here, not stopped here)"
    else
      mkdir -p /run/pcscd
      # No --apdu: pcscd would write every APDU, PIN VERIFY commands included, to its log.
      pcscd --foreground --info >"$run/pcscd.log" 2>&1 &
      echo $! >"$run/pcscd.pid"
      for _ in $(seq 100); do [ -S /run/pcscd/pcscd.comm ] && break; sleep 0.1; done
    fi
  fi
  if ! alive "$run/vcard.pid"; then
    "$build/sim/uketsuke-vcard" --personas "$build/sim/personas" --pki "$build/pki" \
      --control "$run/vcard.sock" --port "${UKETSUKE_VPCD_PORT:-35963}" --insert "$persona" \
      ${UKETSUKE_VCARD_ARGS:-} >"$run/vcard.log" 2>&1 &
    echo $! >"$run/vcard.pid"
    for _ in $(seq 100); do [ -S "$run/vcard.sock" ] && break; sleep 0.1; done
  fi
  # Ready when the virtual card says it is in its reader and pcscd reports a card there.
  port=${UKETSUKE_VPCD_PORT:-35963}
  reader="Virtual PCD 00 0$((port - 35963))"
  for _ in $(seq 100); do
    python3 - "$run/vcard.sock" "$reader" <<'PY' && break
import socket, subprocess, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1])
s.sendall(b"status\n"); answer = s.recv(4096).decode()
if "inserted=1" not in answer: sys.exit(1)
out = subprocess.run(["timeout", "3", "pcsc_scan", "-r"], capture_output=True, text=True).stdout
scan = subprocess.run(["timeout", "3", "pcsc_scan", "-c", "-t", "1"], capture_output=True, text=True).stdout
sys.exit(0 if sys.argv[2] in out and "ATR:" in scan else 1)
PY
    sleep 0.1
  done
  echo "services: pcscd ${PCSCD_NOTE:-$(cat "$run/pcscd.pid" 2>/dev/null || echo external)}, virtual card $(cat "$run/vcard.pid") ($persona)"
  ;;
stop)
  stop_pid "$run/vcard.pid"
  stop_pid "$run/pcscd.pid"
  ;;
*) echo "usage: $0 start|stop BUILD_DIR [PERSONA]" >&2; exit 2 ;;
esac
