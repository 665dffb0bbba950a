-- 0014_query_indexes.sql
-- Indexes for every query in sql/README.md, every view and every list of the API, dashboard and CLI, measured at
-- 10 M history and 10 M ledger rows with scripts/dba-volume.sh (figures in sql/README.md). The README's queries read the
-- views, whose times are scheduler_ticks_to_timestamptz(ticks): PostgreSQL inlines that IMMUTABLE function in the query
-- and in an index expression alike, so an index on the expression serves `fired_at >= …` and `ORDER BY fired_at`.
-- The API's lists go through Quartz's own SQL (sched_name = … AND fired_time >= …, ORDER BY fired_time DESC, entry_id DESC).
--
-- One statement per line, so that on a large database they can be built beforehand without blocking writes:
--     grep '^CREATE INDEX' sql/0014_query_indexes.sql | sed 's/CREATE INDEX IF NOT EXISTS/CREATE INDEX CONCURRENTLY IF NOT EXISTS/' | psql -d scheduler
-- after which `migrate` finds them and only records the file (sql/README.md, "Upgrading the schema across a release").
-- Safe to run twice.

-- Execution history: README time windows ("last hour", "today", "24 hours"), failures, one job's latest runs.
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_fired_at ON qrtz_execution_history (scheduler_ticks_to_timestamptz(fired_time));
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_failed_at ON qrtz_execution_history (scheduler_ticks_to_timestamptz(fired_time)) WHERE NOT succeeded;
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_job_fired_at ON qrtz_execution_history (job_group, job_name, scheduler_ticks_to_timestamptz(fired_time));
-- The API's and dashboard's failed executions (Quartz: RESULT = 1 OR (RESULT IS NULL AND SUCCEEDED = false)), newest first.
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_failed ON qrtz_execution_history (sched_name, fired_time, entry_id) WHERE result = 1 OR (result IS NULL AND NOT succeeded);
-- One node's executions newest first. Quartz's idx_qrtz_eh_inst (its prefix) stays: the qrtz_* schema is kept equal
-- to what Quartz provisions, plus the indexes of this file.
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_inst_time ON qrtz_execution_history (sched_name, instance_name, fired_time);

-- "What fires next" (view scheduler_triggers ordered by next_fire_at): one more index entry per fire on qrtz_triggers,
-- whose next_fire_time updates are never HOT anyway (idx_qrtz_t_nft_st holds it); 55 ms -> 0.3 ms at 20,000 triggers.
CREATE INDEX IF NOT EXISTS idx_qrtz_t_next_fire_at ON qrtz_triggers (scheduler_ticks_to_timestamptz(next_fire_time));

-- Misfires newest first (view scheduler_misfires), and of one job (API).
CREATE INDEX IF NOT EXISTS idx_qrtz_mh_misfired_at ON qrtz_misfire_history (scheduler_ticks_to_timestamptz(misfire_time));
CREATE INDEX IF NOT EXISTS idx_qrtz_mh_job_time ON qrtz_misfire_history (sched_name, job_group, job_name, misfire_time);

-- Occurrence ledger: lateness by scheduled time, one job's occurrences, failed/open ones to replay, the exactly-once audit.
CREATE INDEX IF NOT EXISTS idx_scheduler_occurrences_scheduled ON scheduler_occurrences (scheduled_fire_time);
CREATE INDEX IF NOT EXISTS idx_scheduler_occurrences_job ON scheduler_occurrences (sched_name, job_group, job_name, scheduled_fire_time);
CREATE INDEX IF NOT EXISTS idx_scheduler_occurrences_open ON scheduler_occurrences (sched_name, state, scheduled_fire_time) WHERE state <> 'completed';
-- Occurrences claimed more than 5 s late: tiny while the cluster keeps up. The README query repeats this predicate.
CREATE INDEX IF NOT EXISTS idx_scheduler_occurrences_late ON scheduler_occurrences (scheduled_fire_time) WHERE extract(epoch FROM claimed_at - scheduled_fire_time) > 5;
CREATE INDEX IF NOT EXISTS idx_scheduler_occurrences_repeated ON scheduler_occurrences (scheduled_fire_time) WHERE attempts > 1 OR duplicates_suppressed > 0;
