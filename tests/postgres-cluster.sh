#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests: `start DIR` initialises DIR as the postgres OS user (initdb refuses
# root), listens on loopback on a free port (or $POSTGRES_PORT) and prints the port; `stop DIR` stops it and removes DIR.
# The tests' cluster trades durability for speed; benchmarks pass POSTGRES_SETTINGS (see docs/benchmarks.md, On PostgreSQL).
set -euo pipefail
bin=/usr/lib/postgresql/15/bin
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

case "${1:-}" in
  start)
    dir=$2
    mkdir -p "$dir"; chown postgres "$dir" 2>/dev/null || sudo chown postgres "$dir"; chmod 700 "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port=${POSTGRES_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
    # Tuned for a throwaway test cluster: durability is not needed, speed and connections are.
    settings=${POSTGRES_SETTINGS:-"-c max_connections=600 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB"}
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 120 start \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $settings" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port"
    ;;
  stop)
    dir=$2
    [ -d "$dir/data" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
