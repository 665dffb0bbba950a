#!/usr/bin/env bash
# A streaming standby of a throwaway PostgreSQL that scripts/pg-start.sh started, for the failover test.
#
#   scripts/pg-standby.sh start --primary-dir P --dir S   base backup of P's server (pg_basebackup -R: streaming, async),
#                                                          started on a free port under S/data; prints its port
#   scripts/pg-standby.sh promote --dir S                  promotes the standby (pg_ctl promote) and waits for it
#   scripts/pg-standby.sh crash --dir P                    kills a server without a checkpoint (pg_ctl stop -m immediate)
#
# Stop and delete a standby as any other server: scripts/pg-stop.sh --dir S --purge.
set -euo pipefail

verb=${1:-}; shift || true
dir=""; primary=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=$2; shift 2 ;;
    --primary-dir) primary=$2; shift 2 ;;
    *) echo "pg-standby: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$dir" ] || { echo "pg-standby: --dir is required" >&2; exit 2; }
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | head -n 1)")
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
. "$(dirname "$0")/lib/pg-server.sh"

case "$verb" in
  start)
    [ -f "$primary/port" ] || { echo "pg-standby: no server started by pg-start.sh in '$primary'" >&2; exit 1; }
    mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    rm -rf "$dir/data"
    as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p "$(cat "$primary/port")" -U postgres -D "$dir/data" -R -X stream -c fast >"$dir/basebackup.log" 2>&1 \
      || { cat "$dir/basebackup.log" >&2; exit 1; }
    port=$(( $(cat "$primary/port") + 1 ))
    opts="-c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir/data -c max_connections=300"
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    start_server "$bin" "$dir/data" "$dir/server.log" "$port" 1 "$opts" || exit 1
    echo "$port" >"$dir/port"
    echo "$port"
    ;;
  promote)
    as_pg "$bin/pg_ctl" -D "$dir/data" -w -t 60 promote >/dev/null
    ;;
  crash)
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
  *)
    echo "usage: pg-standby.sh start --primary-dir P --dir S | promote --dir S | crash --dir P" >&2; exit 2 ;;
esac
