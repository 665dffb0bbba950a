#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for local runs and tests, and print its connection string.
#
#   scripts/pg-start.sh [--dir DIR] [--port PORT] [--fast] [--max-connections N]
#
# Data lives in DIR (default .local/pg, git-ignored). The server runs as the `postgres` OS user, listens
# on 127.0.0.1 only, and trusts local connections: it is for development and tests, never production.
# --fast turns fsync off (tests); --max-connections sets the server's limit (default 300). Idempotent: a cluster already running in DIR is reused.
# Writes DIR/env (`export ConnectionStrings__Scheduler=...`) and prints the connection string last.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir="$repo/.local/pg"
port=""
fast=0
max_connections=300
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --fast) fast=1; shift ;;
    --max-connections) max_connections=$2; shift 2 ;;
    *) echo "pg-start: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data="$dir/data"

find_bin() {
  local b
  for b in /usr/lib/postgresql/*/bin; do
    [ -x "$b/pg_ctl" ] && { echo "$b"; return 0; }
  done
  return 1
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "pg-start: no PostgreSQL server binaries under /usr/lib/postgresql and not root: install the 'postgresql' package" >&2
    exit 1
  fi
  echo "pg-start: installing the postgresql package" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
  bin=$(find_bin) || { echo "pg-start: postgresql installed but no pg_ctl found" >&2; exit 1; }
fi

# The server refuses to run as root: run its tools as the postgres user when we are root.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  chown postgres: "$dir"
  # The postgres user must be able to reach the data directory through its parents.
  p="$dir"
  while [ "$p" != "/" ]; do chmod o+x "$p" 2>/dev/null || true; p=$(dirname "$p"); done
fi

. "$(dirname "$0")/lib/pg-server.sh"

if [ -f "$dir/port" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  port=$(cat "$dir/port")
else
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  move=0
  if [ -z "$port" ] && [ -f "$dir/port" ]; then
    port=$(cat "$dir/port")   # a restart keeps the port its clients know
  fi
  if [ -z "$port" ]; then
    # Start from a port derived from DIR: servers of other checkouts on this machine then rarely take this one's port
    # while it is stopped for a fault test (a restart reuses the port its clients know).
    port=$((54329 + $(printf '%s' "$dir" | cksum | cut -d' ' -f1) % 2000))
    move=1
  fi
  opts="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$data -c max_connections=$max_connections"
  opts="$opts -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
  if [ "$fast" -eq 1 ]; then
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  start_server "$bin" "$data" "$dir/server.log" "$port" "$move" "$opts" || exit 1
  echo "$port" >"$dir/port"
fi

cs="Host=127.0.0.1;Port=$port;Username=postgres;Database=scheduler"
if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "select 1 from pg_database where datname='scheduler'" | grep -q 1; then
  "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "create database scheduler" >/dev/null
fi
printf 'export ConnectionStrings__Scheduler=%q\nexport SCHEDULER_PG_PORT=%s\n' "$cs" "$port" >"$dir/env"
echo "$cs"
