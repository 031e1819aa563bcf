#!/usr/bin/env python3
"""uketsuke-ui under a (fake) service manager: with $NOTIFY_SOCKET and $WATCHDOG_USEC set as
systemd sets them for uketsuke-kiosk.service, the UI sends READY=1 once its window is up and then
WATCHDOG=1 from its event loop at least twice per interval. Stopped by PID. Without
$NOTIFY_SOCKET nothing is sent (covered by the unit tests of the notifier).
    kiosk_watchdog.py UKETSUKE_UI CONFIG"""
import os, socket, subprocess, sys, tempfile, time

ui, config = sys.argv[1], sys.argv[2]
interval_us = 1_000_000
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NOTIFY_SOCKET=path,
               WATCHDOG_USEC=str(interval_us), WATCHDOG_PID="1")  # cage's PID, not the UI's
    proc = subprocess.Popen([ui, "--config", config, "--windowed"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    messages, ready_at, pings = [], None, []
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            try:
                msg = sock.recv(4096).decode()
            except socket.timeout:
                if proc.poll() is not None:
                    break
                continue
            now = time.monotonic()
            messages.append(msg)
            if msg == "READY=1" and ready_at is None:
                ready_at = now
            elif msg == "WATCHDOG=1":
                pings.append(now)
                if len(pings) >= 4:
                    break
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    err = proc.stderr.read().decode(errors="replace")
    assert ready_at is not None, f"no READY=1 (messages {messages}); stderr: {err[-2000:]}"
    assert len(pings) >= 4, f"{len(pings)} watchdog pings; messages {messages}; stderr: {err[-2000:]}"
    assert all(p > ready_at for p in pings), "a ping before READY=1"
    gaps = [b - a for a, b in zip(pings, pings[1:])]
    assert max(gaps) < interval_us / 1e6, f"ping gaps {gaps} exceed the {interval_us} us interval"
    print(f"kiosk watchdog: READY=1, {len(pings)} pings, largest gap {max(gaps)*1000:.0f} ms "
          f"(interval {interval_us/1000:.0f} ms)")
