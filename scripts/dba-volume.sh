#!/usr/bin/env bash
# Load a DBA-scale volume into a throwaway PostgreSQL and print EXPLAIN (ANALYZE, BUFFERS) timings of every query in
# sql/README.md, every view and the lists the API, dashboard and CLI run (Quartz's own SQL, as captured from a node).
#
#   scripts/dba-volume.sh [--rows 10000000] [--triggers 20000] [--dir .local/pg-volume] [--keep] [--reuse] [--without-0014]
#
# Starts its own server under --dir (scripts/pg-start.sh --fast), migrates a fresh database `volume` with the built
# binary, loads --rows execution history rows and --rows ledger rows spread over the 14 days of the default retention
# (3 nodes, 200 jobs, 2 % failures), --triggers cron triggers, 100,000 misfires, 100,000 audit rows, then VACUUM ANALYZE,
# and runs each query three times, printing the last run's execution time, the plan's top node and the buffers it
# touched. --reuse skips the load when the database is there; --without-0014 measures each query in a transaction
# that drops 0014's indexes and is rolled back (the "before" figures); --keep leaves the server running (stop it with scripts/pg-stop.sh --dir DIR --purge). Needs ~6 GB of disk
# at 10 M rows and takes 10-20 minutes on two cores. Not part of the test suite.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rows=10000000
triggers=20000
dir="$repo/.local/pg-volume"
keep=0
reuse=0
without_0014=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows=$2; shift 2 ;;
    --triggers) triggers=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --reuse) reuse=1; shift ;;
    --without-0014) without_0014=1; shift ;;
    *) echo "dba-volume: unknown argument '$1'" >&2; exit 2 ;;
  esac
done

cs=$("$repo/scripts/pg-start.sh" --dir "$dir" --fast)
port=$(cat "$dir/port")
if [ "$keep" -eq 0 ]; then
  trap '"$repo/scripts/pg-stop.sh" --dir "$dir" --purge >/dev/null || true' EXIT
fi
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres "$@"; }
psql_db() { psql_admin -d volume "$@"; }

if [ "$reuse" -eq 0 ] || ! psql_admin -d volume -c 'SELECT 1' >/dev/null 2>&1; then
  echo "==> building and migrating a fresh database 'volume'"
  dotnet build "$repo/src/Scheduler.Host/Scheduler.Host.csproj" -c Release -v quiet -nologo >/dev/null
  psql_admin -d postgres -c 'DROP DATABASE IF EXISTS volume WITH (FORCE)' -c 'CREATE DATABASE volume'
  ConnectionStrings__Scheduler="${cs/Database=scheduler/Database=volume}" \
    dotnet "$repo/src/Scheduler.Host/bin/Release/net10.0/scheduler.dll" migrate >/dev/null

  echo "==> loading $rows history rows, $rows ledger rows, $triggers triggers ($(date -u +%H:%M:%S))"
  start=$(date +%s)
  psql_db -v rows="$rows" -v triggers="$triggers" <<'SQL'
SET synchronous_commit = off;
CREATE TEMP TABLE params AS
SELECT :rows::bigint AS n, :triggers::int AS t,
       (extract(epoch FROM now()) * 10000000)::bigint + 621355968000000000 AS now_ticks,
       14 * 86400 * 10000000::bigint AS span_ticks;

-- 200 jobs (job-0 … job-199 in group load, plus samples.heartbeat) and their cron triggers.
INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery)
SELECT 'scheduler', 'job-' || j, 'load', 'Scheduler.Jobs.Heartbeat.HeartbeatJob', true, false, false, false FROM generate_series(0, 199) j
UNION ALL SELECT 'scheduler', 'heartbeat', 'samples', 'Scheduler.Jobs.Heartbeat.HeartbeatJob', true, false, false, false;
INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, next_fire_time, prev_fire_time, priority,
                           trigger_state, trigger_type, start_time, misfire_instr)
SELECT 'scheduler', 'trigger-' || g, 'load', 'job-' || (g % 200), 'load',
       p.now_ticks + (g % 3600) * 10000000::bigint, p.now_ticks - 600000000, 5,
       CASE WHEN g % 1000 = 0 THEN 'ERROR' WHEN g % 97 = 0 THEN 'PAUSED' ELSE 'WAITING' END, 'CRON', p.now_ticks - p.span_ticks, 0
FROM params p, generate_series(1, p.t) g;
INSERT INTO qrtz_cron_triggers (sched_name, trigger_name, trigger_group, cron_expression, time_zone_id)
SELECT 'scheduler', 'trigger-' || g, 'load', '0 * * * * ?', 'UTC' FROM params p, generate_series(1, p.t) g;

-- Execution history: n rows over 14 days, oldest first (as Quartz appends them), 3 nodes, 2 % failures.
INSERT INTO qrtz_execution_history (sched_name, entry_id, instance_name, job_name, job_group, trigger_name, trigger_group,
                                    fired_time, run_time, succeeded, error_message, retry_attempt, retry_scheduled, result,
                                    summary, manual, fire_instance_id)
SELECT 'scheduler', 'e' || g, 'node-' || (g % 3 + 1),
       CASE WHEN g % 201 = 0 THEN 'heartbeat' ELSE 'job-' || (g % 200) END,
       CASE WHEN g % 201 = 0 THEN 'samples' ELSE 'load' END,
       'trigger-' || (g % p.t + 1), 'load',
       p.now_ticks - p.span_ticks + g * (p.span_ticks / p.n), (g % 5000) * 10000::bigint,
       g % 50 <> 0, CASE WHEN g % 50 = 0 THEN 'System.InvalidOperationException: simulated failure ' || g END,
       0, false, CASE WHEN g % 50 = 0 THEN 1 ELSE 0 END, 'ok', false, 'f' || g
FROM params p, generate_series(1, p.n) g;

-- Ledger: one row per execution, a few retried, suppressed or failed, the newest 50 still claimed.
INSERT INTO scheduler_occurrences (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time, state,
                                   claim_token, claimed_by, claimed_at, fire_instance_id, completed_at, attempts, duplicates_suppressed)
SELECT 'scheduler', 'load', 'job-' || (g % 200), 'load', 'trigger-' || g % p.t, s.at,
       CASE WHEN g > p.n - 50 THEN 'claimed' WHEN g % 50 = 0 THEN 'failed' ELSE 'completed' END,
       gen_random_uuid(), 'node-' || (g % 3 + 1), s.at + (g % 800) * interval '1 ms', 'f' || g,
       CASE WHEN g > p.n - 50 THEN NULL ELSE s.at + (g % 800 + g % 5000) * interval '1 ms' END,
       CASE WHEN g % 10000 = 0 THEN 2 ELSE 1 END, CASE WHEN g % 20000 = 0 THEN 1 ELSE 0 END
FROM params p, generate_series(1, p.n) g,
     LATERAL (SELECT now() - interval '14 days' + g * (interval '14 days' / p.n) AS at) s;

INSERT INTO scheduler_suppressed_duplicates (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time,
                                             fire_instance_id, node, reason, suppressed_at)
SELECT 'scheduler', 'load', 'job-' || (g % 200), 'load', 'trigger-' || g, now() - g * interval '1 minute', 'd' || g,
       'node-' || (g % 3 + 1), 'already completed by node-1', now() - g * interval '1 minute'
FROM generate_series(1, 10000) g;

INSERT INTO qrtz_misfire_history (sched_name, entry_id, instance_name, trigger_name, trigger_group, job_name, job_group,
                                  misfire_time, sched_time, reason)
SELECT 'scheduler', 'm' || g, 'node-' || (g % 3 + 1), 'trigger-' || (g % p.t + 1), 'load', 'job-' || (g % 200), 'load',
       p.now_ticks - p.span_ticks + g * (p.span_ticks / 100000), p.now_ticks - p.span_ticks + g * (p.span_ticks / 100000) - 600000000, g % 3
FROM params p, generate_series(1, 100000) g;

INSERT INTO qrtz_job_status (sched_name, job_group, job_name, first_fired_time, last_fired_time, last_result, last_run_time,
                             last_instance_name, run_count, failure_count)
SELECT 'scheduler', job_group, job_name, min(fired_time), max(fired_time), 0, 10000, 'node-1', count(*), count(*) FILTER (WHERE NOT succeeded)
FROM qrtz_execution_history GROUP BY job_group, job_name;

INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval)
SELECT 'scheduler', 'node-' || i, p.now_ticks, 2000 FROM params p, generate_series(1, 3) i;
INSERT INTO scheduler_node_info (instance_name, version, host, process_id, started_at)
SELECT 'node-' || i, '0.1.0', 'host-' || i, 1000 + i, now() - interval '1 day' FROM generate_series(1, 3) i;

INSERT INTO scheduler_audit (at, actor, role, action, target, reason, source, node, outcome)
SELECT now() - g * interval '5 minutes', 'operator-' || (g % 7), 'operator', 'pause-job', 'load.job-' || (g % 200), 'volume',
       '10.0.0.' || (g % 250), 'node-' || (g % 3 + 1), 'ok'
FROM generate_series(1, 100000) g;

INSERT INTO scheduler_heartbeat (sched_name, instance_id, job_name, trigger_name, scheduled_fire_time, fired_at, started_at, fire_instance_id)
SELECT 'scheduler', 'node-' || (g % 3 + 1), 'samples.heartbeat', 'heartbeat-0', now() - g * interval '2 s', now() - g * interval '2 s',
       now() - g * interval '2 s', 'h' || g
FROM generate_series(1, 600000) g;
SQL
  echo "==> VACUUM ANALYZE"
  psql_db -c 'VACUUM (ANALYZE)'
  echo "    loaded in $(( $(date +%s) - start )) s"
fi

if [ "$without_0014" -eq 1 ]; then
  # Each query runs in a transaction that drops 0014's indexes and is rolled back: the indexes are back at once.
  echo "==> figures without the indexes of sql/0014 (dropped inside each measured transaction, then rolled back)"
  WITHOUT_INDEXES=$(grep -o '^CREATE INDEX IF NOT EXISTS [a-z_0-9]*' "$repo/sql/0014_query_indexes.sql" | awk '{print $6}' | paste -sd, -)
  export WITHOUT_INDEXES
fi

psql_db -At -c "SELECT 'history rows: ' || (SELECT count(*) FROM qrtz_execution_history) || ', ledger rows: ' || (SELECT count(*) FROM scheduler_occurrences) || ', triggers: ' || (SELECT count(*) FROM qrtz_triggers) || ', database: ' || pg_size_pretty(pg_database_size(current_database()))"
psql_db -At -c "SELECT relname || ': ' || pg_size_pretty(pg_total_relation_size(oid)) || ' total, ' || pg_size_pretty(pg_relation_size(oid)) || ' heap, ' || round(pg_total_relation_size(oid)::numeric / greatest(reltuples, 1)) || ' bytes/row' FROM pg_class WHERE relname IN ('qrtz_execution_history', 'scheduler_occurrences', 'scheduler_audit', 'scheduler_heartbeat', 'scheduler_suppressed_duplicates', 'qrtz_misfire_history') ORDER BY 1"

echo "==> EXPLAIN (ANALYZE, BUFFERS), third run of each; PostgreSQL $(psql_db -At -c 'SHOW server_version')"
REPO="$repo" PORT="$port" python3 "$repo/scripts/dba-volume-queries.py"
