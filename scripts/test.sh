#!/usr/bin/env bash
# Run the whole test suite against a throwaway PostgreSQL, and print "N passed, N failed, N skipped" last.
#
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Migration]
#
# Starts a private PostgreSQL under .local/pg-test (scripts/pg-start.sh), builds the solution, runs
# `dotnet test` with a TRX logger, stops and deletes the database cluster on exit, and exits non-zero
# when anything failed or did not build.
#
# Run as root on Debian, it installs what the tests need and is missing, with apt-get, saying so first:
#   postgresql      the server binaries (scripts/pg-start.sh)
#   chromium        for the dashboard's browser test, about 130 packages (scripts/browser-deps.sh);
#                   SCHEDULER_NO_BROWSER=1 neither installs it nor runs the browser tests
#   faketime        for the clock-skew tests (scripts/fault-deps.sh)
#   prometheus      Prometheus and promtool, for the alert-rule tests and the scrape test (scripts/prometheus-deps.sh)
# Not root, it installs nothing and prints the apt-get line for what is missing.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
pgdir="$repo/.local/pg-test"
results="$repo/.local/test-results"

cleanup() { "$repo/scripts/pg-stop.sh" --dir "$pgdir" --purge || true; }
trap cleanup EXIT

cs=$("$repo/scripts/pg-start.sh" --dir "$pgdir" --fast) || { echo "0 passed, 1 failed"; exit 1; }
args=("$@")
if [ "${SCHEDULER_NO_BROWSER:-0}" = "1" ]; then
  # No chromium: leave the browser tests out (they are counted neither passed nor failed).
  echo "test: SCHEDULER_NO_BROWSER=1: not installing chromium; the dashboard browser tests do not run"
  browser_filter="FullyQualifiedName!~Browser"
  filtered=0
  for i in "${!args[@]}"; do
    if [ "${args[$i]}" = "--filter" ] && [ $((i + 1)) -lt ${#args[@]} ]; then
      args[$((i + 1))]="(${args[$((i + 1))]})&$browser_filter"; filtered=1
    fi
  done
  [ "$filtered" -eq 1 ] || args+=(--filter "$browser_filter")
else
  # The dashboard's browser test drives Debian's chromium; without it that one test fails and says why.
  "$repo/scripts/browser-deps.sh" || echo "warning: chromium missing: the dashboard browser test will fail"
fi
# The clock-skew tests run a node under libfaketime; without it they fail and say why.
"$repo/scripts/fault-deps.sh" || echo "warning: faketime missing: the clock-skew tests will fail"
# The alert-rule tests run promtool, and one runs a real Prometheus; without them those fail and say why.
"$repo/scripts/prometheus-deps.sh" || echo "warning: prometheus/promtool missing: the alert-rule and scrape tests will fail"

export SCHEDULER_TEST_CONNECTION="${cs/Database=scheduler/Database=postgres}"
# The fault scenarios stop and restart this server (scripts/pg-stop.sh / pg-start.sh --dir).
export SCHEDULER_TEST_PGDIR="$pgdir"
echo "test database server: $SCHEDULER_TEST_CONNECTION"

rm -rf "$results"
if ! dotnet build "$repo/Scheduler.sln" -c Debug -v minimal -nologo; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

dotnet test "$repo/Scheduler.sln" -c Debug --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  --blame-hang-timeout 10m "${args[@]}"
rc=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  attr() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(attr total); executed=$(attr executed)
  passed=$((passed + $(attr passed)))
  failed=$((failed + $(attr failed) + $(attr error) + $(attr timeout) + $(attr aborted)))
  skipped=$((skipped + total - executed))
done
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The runner failed without a failing test (crash, hang, no results): never report green.
  failed=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$rc"
