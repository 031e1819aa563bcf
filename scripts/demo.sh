#!/usr/bin/env bash
# Runs the whole demo: installs and builds, starts pcscd + the virtual My Number Card + the
# reference qualification service, writes the demo staff file, and starts the kiosk UI with the
# demo panel (switch personas) and the persona's photo as the camera. A still photo as the camera
# is a presentation attack, so the demo configuration says so explicitly (vision.camera_mode
# "demo-still", refused by a production configuration) and every screen shows 「デモ」. Without a
# display the UI is served over VNC (port 5900). Everything started here is stopped by PID on exit.
# Usage: scripts/demo.sh [PERSONA] [--cli]
#   PERSONA  the card in the reader at start (sim/personas/, default normal)
#   --cli    no UI: print `uketsuke card info` for the card, as before the UI existed
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
persona=normal
cli=0
for arg in "$@"; do
  case "$arg" in
    --cli) cli=1 ;;
    -*) echo "usage: $0 [PERSONA] [--cli]" >&2; exit 2 ;;
    *) persona=$arg ;;
  esac
done
"$here/scripts/setup.sh"
"$here/scripts/build.sh"
build="${UKETSUKE_BUILD_DIR:-$here/build}"
config="$build/uketsuke-demo.json"
cleanup() {
  "$here/scripts/qualification-service.sh" stop "$build" || true
  "$here/scripts/services.sh" stop "$build"
}
trap cleanup EXIT
"$here/scripts/services.sh" start "$build" "$persona"
if ((cli)); then
  "$build/terminal/uketsuke" --config "$config" card info
  exit 0
fi
"$here/scripts/qualification-service.sh" start "$build"

# The 目視 / staff-menu password of the demo (documented in README.md); never a clinic's.
demo_staff_id=S001
demo_staff_password=uketsuke-demo
staff_file="$build/run/staff.json"
if [ ! -f "$staff_file" ]; then
  printf '%s\n' "$demo_staff_password" |
    "$build/terminal/uketsuke" --config "$config" session staff-file --out "$staff_file" \
      --staff "$demo_staff_id"
fi
echo "demo: staff ID $demo_staff_id, password $demo_staff_password (目視 check and staff menu)"
echo "demo: camera mode demo-still (the persona's photo is the camera; screens show 「デモ」)"

ui=("$build/terminal/uketsuke" --config "$config" ui --demo --persona "$persona")
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  export QT_QPA_PLATFORM="vnc:size=1280x800"
  echo "demo: no display; open a VNC viewer on $(hostname -I 2>/dev/null | awk '{print $1}'):5900"
fi
mkdir -p "$build/run/xdg" && chmod 700 "$build/run/xdg"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$build/run/xdg}"
"${ui[@]}"
