#!/usr/bin/env bash
# Run the whole test suite against a throwaway PostgreSQL, and print "N passed, N failed, N skipped" last.
#
#   scripts/test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Migration]
#
# Starts a private PostgreSQL under .local/pg-test (scripts/pg-start.sh), installs Debian's chromium for the
# dashboard's browser test when missing (scripts/browser-deps.sh), libfaketime (scripts/fault-deps.sh) and Debian's
# prometheus/promtool (scripts/prometheus-deps.sh) likewise, builds the solution, runs
# `dotnet test` with a TRX logger, stops and deletes the database cluster on exit, and exits non-zero
# when anything failed or did not build.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
pgdir="$repo/.local/pg-test"
results="$repo/.local/test-results"

cleanup() { "$repo/scripts/pg-stop.sh" --dir "$pgdir" --purge || true; }
trap cleanup EXIT

cs=$("$repo/scripts/pg-start.sh" --dir "$pgdir" --fast) || { echo "0 passed, 1 failed"; exit 1; }
# The dashboard's browser test drives Debian's chromium; without it that one test fails and says why.
"$repo/scripts/browser-deps.sh" || echo "warning: chromium missing: the dashboard browser test will fail"
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
  --blame-hang-timeout 10m "$@"
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
