#!/usr/bin/env bash
# Benchmark the scheduler: build, (start a throwaway PostgreSQL,) migrate, run workloads, print a table and
# write bench/results/latest.json.
#
#   bench/run.sh [burst|cron|herd|scale|failover|ceiling|soak|all] [--connection "<npgsql connection string>"] [--smoke]
#                [--minutes N]   (soak only: its length, default 20; `all` leaves the soak out)
#
# Without --connection a throwaway PostgreSQL is started under bench/.work/pg (scripts/pg-start.sh --fast) and
# stopped and deleted afterwards. --smoke runs every workload at a small size (CI: bench/run.sh all --smoke).
# Node processes are started and stopped by the driver (bench/Scheduler.Bench) by PID; whatever a crashed driver
# leaves is stopped here, by the PIDs it recorded. Exits non-zero when a workload did not complete.
# Environment: BENCH_PROFILES=default,tuned (node setting profiles to measure; smoke: default),
# BENCH_TIMEOUT=seconds (bound on the driver; default 300 for --smoke, 3600 otherwise),
# BENCH_OUT=file (where the JSON goes instead of bench/results/latest.json; the test suite's smoke run uses it),
# BENCH_HERD_SIZES=1000 (herd only: the sizes to run, comma-separated; default 1000,10000).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
workload=all
connection=""
smoke=0
minutes=""
while [ $# -gt 0 ]; do
  case "$1" in
    burst|cron|herd|scale|failover|ceiling|soak|all) workload=$1; shift ;;
    --minutes) minutes=${2:?--minutes needs a value}; shift 2 ;;
    --connection) connection=${2:?--connection needs a value}; shift 2 ;;
    --smoke) smoke=1; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

work="$repo/bench/.work"
pgdir="$work/pg"
pidfile="$work/node.pids"
mkdir -p "$work/logs"
: >"$pidfile"

started_pg=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  # Nodes a killed driver could not stop: only the PIDs it recorded, only if they are still scheduler nodes.
  while read -r pid; do
    [ -n "$pid" ] || continue
    if kill -0 "$pid" 2>/dev/null && grep -q scheduler.dll "/proc/$pid/cmdline" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done <"$pidfile"
  if [ "$started_pg" -eq 1 ]; then
    "$repo/scripts/pg-stop.sh" --dir "$pgdir" --purge || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "==> building scheduler and the driver (Release)" >&2
dotnet build "$repo/src/Scheduler.Host/Scheduler.Host.csproj" -c Release -nologo -v quiet >"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
dotnet build "$repo/bench/Scheduler.Bench/Scheduler.Bench.csproj" -c Release -nologo -v quiet >>"$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; exit 1; }
dll="$repo/src/Scheduler.Host/bin/Release/net10.0/scheduler.dll"
driver="$repo/bench/Scheduler.Bench/bin/Release/net10.0/scheduler-bench.dll"

if [ -z "$connection" ]; then
  echo "==> starting a throwaway PostgreSQL in bench/.work/pg" >&2
  "$repo/scripts/pg-stop.sh" --dir "$pgdir" --purge >/dev/null 2>&1 || true
  started_pg=1
  connection=$("$repo/scripts/pg-start.sh" --dir "$pgdir" --fast | tail -n 1)
fi

echo "==> migrating" >&2
ConnectionStrings__Scheduler="$connection" timeout 120 dotnet "$dll" migrate >"$work/migrate.log" 2>&1 \
  || { cat "$work/migrate.log" >&2; exit 1; }

args=("$workload" --connection "$connection" --dll "$dll" --work "$work" --out "${BENCH_OUT:-$repo/bench/results/latest.json}")
[ "$smoke" -eq 1 ] && args+=(--smoke)
[ -n "${BENCH_PROFILES:-}" ] && args+=(--profiles "$BENCH_PROFILES")
[ -n "$minutes" ] && args+=(--minutes "$minutes")
bound=${BENCH_TIMEOUT:-$([ "$smoke" -eq 1 ] && echo 300 || echo $((3600 + ${minutes:-20} * 60)))}
echo "==> running $workload$([ "$smoke" -eq 1 ] && echo ' (smoke)') — node logs in bench/.work/logs" >&2
BENCH_PID_FILE="$pidfile" timeout --kill-after=30 "$bound" dotnet "$driver" "${args[@]}"
