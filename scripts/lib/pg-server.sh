# Sourced by scripts/pg-start.sh and pg-standby.sh: start a PostgreSQL data directory on a TCP port, surviving a port
# that is taken between the check and the bind.
#
#   as_pg() { …; }   # the caller says how to run PostgreSQL's tools (as the postgres user when root)
#   start_server BIN DATA LOG PORT MOVE "OPTIONS"
#
# Test servers' ports lie in Linux's ephemeral range (32768–60999): a port nothing listens on can still be bound by a
# client socket by the time the server binds it. With MOVE=1 the port is ours to choose, so a bind failure moves on to
# the next free port; with MOVE=0 (a restart: clients know the port) the same port is retried after a second. Up to
# 5 attempts. On success sets `port` to the port the server listens on and returns 0; otherwise prints the end of the
# server's log and returns 1.
start_server() {
  local bin=$1 data=$2 log=$3 move=$5 options=$6 attempt offset
  port=$4
  for attempt in 1 2 3 4 5; do
    if [ "$move" -eq 1 ]; then
      while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
    fi
    offset=$( [ -f "$log" ] && wc -c <"$log" || echo 0 )
    if as_pg "$bin/pg_ctl" -D "$data" -l "$log" -o "$options -c port=$port" -w -t 60 start >/dev/null; then
      return 0
    fi
    # Only this attempt's lines: the log is appended to across restarts.
    tail -c +"$((offset + 1))" "$log" | grep -q "could not bind\|could not create any TCP/IP sockets" || break
    if [ "$move" -eq 1 ]; then port=$((port + 1)); else sleep 1; fi
  done
  tail -n 30 "$log" >&2
  return 1
}
