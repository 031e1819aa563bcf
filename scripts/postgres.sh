#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the confirmation-log tests and benchmark: its own cluster
# in BUILD_DIR/run/pg, listening on 127.0.0.1 and a socket in BUILD_DIR/run/pgsock, port 55432,
# database uketsuke_test, trust authentication (local test use only). Never touches the Debian
# cluster. PostgreSQL refuses to run as root, so the server runs as the system user postgres.
#   scripts/postgres.sh start BUILD_DIR     (idempotent: a running server is left as it is)
#   scripts/postgres.sh stop  BUILD_DIR     (stops the server whose PID was recorded)
# Connection: "host=BUILD_DIR/run/pgsock port=55432 dbname=uketsuke_test user=postgres".
set -euo pipefail
cmd=${1:?start|stop}; build=$(cd "${2:?build dir}" && pwd)
port=${UKETSUKE_PG_PORT:-55432}
bin=${UKETSUKE_PG_BIN:-/usr/lib/postgresql/15/bin}
run="$build/run"; data="$run/pg"; sock="$run/pgsock"; pidfile="$run/postgres.pid"

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
alive() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$cmd" in
start)
  if alive; then
    echo "postgres: already running (pid $(cat "$pidfile"), port $port)"
    exit 0
  fi
  mkdir -p "$run" "$sock"
  [ "$(id -u)" = 0 ] && chown postgres: "$sock"
  if [ ! -f "$data/PG_VERSION" ]; then
    rm -rf "$data"; mkdir -p "$data"
    [ "$(id -u)" = 0 ] && chown postgres: "$data"
    chmod 700 "$data"
    # fsync off and C locale: a disposable test cluster, fast to create and to write.
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --no-sync --locale=C \
      --encoding=UTF8 >"$run/pg-initdb.log" 2>&1 || { cat "$run/pg-initdb.log" >&2; exit 1; }
  fi
  # A server left running from an older run of this build (pid file lost) is stopped first.
  if [ -f "$data/postmaster.pid" ]; then
    as_pg "$bin/pg_ctl" -D "$data" stop -m fast >/dev/null 2>&1 || true
  fi
  as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 30 start \
    -o "-p $port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off \
        -c synchronous_commit=off -c max_connections=100" >/dev/null \
    || { tail -20 "$data/server.log" >&2; exit 1; }
  head -1 "$data/postmaster.pid" >"$pidfile"
  if ! as_pg "$bin/psql" -h "$sock" -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'uketsuke_test'" | grep -q 1; then
    as_pg "$bin/createdb" -h "$sock" -p "$port" -U postgres uketsuke_test
  fi
  echo "postgres: running (pid $(cat "$pidfile"), port $port, socket $sock)"
  ;;
stop)
  if alive; then
    as_pg "$bin/pg_ctl" -D "$data" stop -m fast -w -t 30 >/dev/null 2>&1 || {
      pid=$(cat "$pidfile"); kill -INT "$pid" 2>/dev/null || true  # SIGINT = fast shutdown
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    }
    echo "postgres: stopped"
  fi
  rm -f "$pidfile"
  ;;
*) echo "usage: $0 start|stop BUILD_DIR" >&2; exit 2 ;;
esac
