#!/usr/bin/env bash
# Run a local scheduler cluster: a throwaway PostgreSQL, migrations applied, N nodes (default 3).
#
#   scripts/cluster.sh [--nodes N] [--base-port 5081] [--duration SECONDS] [--keep-db] [--help]
#
# Builds the host in Release, starts PostgreSQL under .local/pg (scripts/pg-start.sh), runs
# sql/roles.sql and a login for the nodes (scheduler_node, in scheduler_runtime), `scheduler migrate --with-samples`,
# then starts node-1..node-N on http://127.0.0.1:<base-port + i - 1>, each with its own Quartz__Scheduler__InstanceId,
# the sample heartbeat schedule (config/heartbeat.json) and a log in .local/cluster/. Prints the dashboard URL and a
# fresh operator API key, then every 10 s how many executions each node has run since this run started. Stops on
# Ctrl-C or SIGTERM (or after --duration): SIGTERM to each node by PID, waits for them to drain, stops PostgreSQL
# unless --keep-db, and exits 0.
set -euo pipefail

usage() {
  sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

repo=$(cd "$(dirname "$0")/.." && pwd)
nodes=3
base_port=5081
duration=0
keep_db=0
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes=$2; shift 2 ;;
    --base-port) base_port=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --keep-db) keep_db=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "cluster: unknown argument '$1' (see scripts/cluster.sh --help)" >&2; exit 2 ;;
  esac
done

pgdir="$repo/.local/pg"
logdir="$repo/.local/cluster"
mkdir -p "$logdir"

echo "==> building (Release)"
dotnet build "$repo/src/Scheduler.Host/Scheduler.Host.csproj" -c Release -v quiet -nologo >"$logdir/build.log" 2>&1 \
  || { cat "$logdir/build.log"; exit 1; }
dll="$repo/src/Scheduler.Host/bin/Release/net10.0/scheduler.dll"

echo "==> starting PostgreSQL"
export ConnectionStrings__Scheduler
ConnectionStrings__Scheduler=$("$repo/scripts/pg-start.sh" --dir "$pgdir")
port=$(cat "$pgdir/port")
echo "    $ConnectionStrings__Scheduler"

echo "==> roles (sql/roles.sql) and the nodes' login, scheduler_node, a member of scheduler_runtime"
psql -h 127.0.0.1 -p "$port" -U postgres -d scheduler -qX -v ON_ERROR_STOP=1 -f "$repo/sql/roles.sql" >/dev/null
psql -h 127.0.0.1 -p "$port" -U postgres -d scheduler -qX -v ON_ERROR_STOP=1 -c \
  "DO \$\$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'scheduler_node') THEN CREATE ROLE scheduler_node LOGIN IN ROLE scheduler_runtime; END IF; END \$\$" >/dev/null

echo "==> migrating (as postgres, which switches to scheduler_owner)"
dotnet "$dll" migrate --with-samples
# The nodes connect as the least-privileged role, as in production (never a superuser).
ConnectionStrings__Scheduler=${ConnectionStrings__Scheduler/Username=postgres/Username=scheduler_node}

# A local operator key for the dashboard and API, made fresh each run (only its hash reaches the nodes).
keyfile="$logdir/operator.key"
dotnet "$dll" apikey new --role operator --name local_operator >"$keyfile"
key=$(sed -n '2s/^# //p' "$keyfile")
while IFS='=' read -r name value; do export "$name=$value"; done < <(grep '^Scheduler__Auth__' "$keyfile")

pids=()
stopping=0
stop_all() {
  [ "$stopping" -eq 1 ] && return
  stopping=1
  trap - INT TERM EXIT
  echo "==> stopping nodes (SIGTERM, drain)"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ "$keep_db" -eq 0 ]; then
    "$repo/scripts/pg-stop.sh" --dir "$pgdir"
    echo "==> PostgreSQL stopped (data kept in $pgdir; scripts/pg-stop.sh --purge deletes it)"
  else
    echo "==> PostgreSQL still running: psql -h 127.0.0.1 -p $port -U postgres scheduler"
  fi
}
# Ctrl-C and SIGTERM are the normal way to stop: drain, stop, exit 0. Any other exit (a failure) keeps its code.
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

# Counts below are of this run only: the database under .local/pg is kept between runs.
run_started=$(psql -h 127.0.0.1 -p "$port" -U postgres -d scheduler -tAXc "SELECT now()")

for i in $(seq 1 "$nodes"); do
  url="http://127.0.0.1:$((base_port + i - 1))"
  Quartz__Scheduler__InstanceId="node-$i" dotnet "$dll" run --urls "$url" --config "$repo/config/heartbeat.json" \
    >"$logdir/node-$i.log" 2>&1 &
  pids+=("$!")
  echo "    node-$i  pid $!  $url  (log: .local/cluster/node-$i.log)"
done

for i in $(seq 1 "$nodes"); do
  url="http://127.0.0.1:$((base_port + i - 1))/health/ready"
  for _ in $(seq 1 60); do
    curl -fsS "$url" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fsS "$url" >/dev/null 2>&1 || { echo "node-$i did not become ready; see $logdir/node-$i.log" >&2; exit 1; }
done

echo
echo "Cluster of $nodes nodes is up."
echo "  dashboard: http://127.0.0.1:$base_port/   sign in with the key below (any node serves the whole cluster)"
echo "  API key:   $key   (operator; also in .local/cluster/operator.key)"
echo "  API:       curl -H \"Authorization: Bearer $key\" http://127.0.0.1:$base_port/api/nodes"
echo "  CLI:       ConnectionStrings__Scheduler='$ConnectionStrings__Scheduler' dotnet $dll status   (as scheduler_node)"
echo "  health:    http://127.0.0.1:$base_port/health/ready (and the next ports for the other nodes)"
echo "  database:  psql -h 127.0.0.1 -p $port -U postgres scheduler"
echo "  history:   SELECT * FROM scheduler_executions ORDER BY fired_at DESC LIMIT 20;"
echo "Ctrl-C stops the cluster."
echo

started=$SECONDS
while :; do
  # In the background, so a SIGTERM is handled at once rather than after the sleep.
  sleep 10 &
  wait $! || true
  psql -h 127.0.0.1 -p "$port" -U postgres -d scheduler -tAXc \
    "SELECT coalesce(string_agg(node || ': ' || n || ' runs', ', ' ORDER BY node), 'none yet')
       FROM (SELECT node, count(*) n FROM scheduler_executions
             WHERE fired_at >= '$run_started' GROUP BY 1) s" \
    | sed 's/^/executions this run — /'
  for idx in "${!pids[@]}"; do
    kill -0 "${pids[$idx]}" 2>/dev/null || { echo "node-$((idx + 1)) exited; see $logdir/node-$((idx + 1)).log" >&2; exit 1; }
  done
  if [ "$duration" -gt 0 ] && [ $((SECONDS - started)) -ge "$duration" ]; then
    break
  fi
done
