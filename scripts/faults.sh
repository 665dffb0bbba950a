#!/usr/bin/env bash
# Run the fault scenarios (exactly-once under node faults; PostgreSQL down at shutdown, read-only, at max_connections,
# failed over; a node partitioned, slowed or on a skewed clock) with a longer window than CI, and print what each measured.
#
#   scripts/faults.sh [SECONDS]        window per scenario, default 60 (CI runs 20)
#
# Same harness as the tests (tests/Scheduler.Tests/Fencing and Faults): real `scheduler` node processes on a throwaway
# PostgreSQL, a probe job recording (trigger, scheduled fire time, node, start) with no unique constraint, and an
# audit of every expected (trigger, fire time): missing, duplicated, lateness. Exits non-zero if any scenario fails.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
pgdir="$repo/.local/pg-faults"
log="$repo/.local/faults.log"
mkdir -p "$repo/.local"

cleanup() { "$repo/scripts/pg-stop.sh" --dir "$pgdir" --purge || true; }
trap cleanup EXIT

cs=$("$repo/scripts/pg-start.sh" --dir "$pgdir" --fast) || exit 1
"$repo/scripts/fault-deps.sh" || exit 1
export SCHEDULER_TEST_CONNECTION="${cs/Database=scheduler/Database=postgres}"
export SCHEDULER_TEST_PGDIR="$pgdir"
export SCHEDULER_SCENARIO_SECONDS="$seconds"

dotnet build "$repo/Scheduler.sln" -c Debug -v quiet -nologo >/dev/null || { echo "build failed"; exit 1; }
dotnet test "$repo/tests/Scheduler.Tests/Scheduler.Tests.csproj" -c Debug --no-build -nologo \
  --filter "FullyQualifiedName~Scheduler.Tests.Fencing|FullyQualifiedName~Scheduler.Tests.Faults|FullyQualifiedName~StopWithoutDatabaseTests" \
  --logger "console;verbosity=detailed" >"$log" 2>&1
rc=$?

echo
echo "Fault scenarios, window ${seconds} s ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)); full log: .local/faults.log"
printf '%-8s %s\n' "result" "scenario"
grep -E '^\s+(Passed|Failed) Scheduler\.Tests\.(Fencing|Faults|Cluster)\.' "$log" | sed -E 's/^\s+(Passed|Failed) Scheduler\.Tests\.[A-Za-z]+\.[A-Za-z]+\.([^ ]+).*/\1   \2/' | tr '_' ' '
echo
echo "Measured:"
grep -E '(: expected [0-9]+, missing|kill -9 to recovery claim|: exit code [0-9]+ after)' "$log" | sed -E 's/^\s+/  /' | awk '!seen[$0]++'
exit "$rc"
