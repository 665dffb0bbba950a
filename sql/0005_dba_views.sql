-- 0005_dba_views.sql
-- Read-only views for DBAs and reporting over Quartz's tables: every .NET-ticks bigint shown as
-- timestamptz (UTC), durations in milliseconds, enum codes decoded (JobRunResult, MisfireReason from
-- Quartz 4.7.3), trigger and group pauses in one place. Views only: nothing here stores data.
-- Safe to run twice: views are dropped and re-created (CREATE OR REPLACE cannot change a column list).

CREATE OR REPLACE FUNCTION scheduler_ticks_to_timestamptz(ticks bigint) RETURNS timestamptz
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN ticks IS NULL OR ticks <= 0 THEN NULL
                ELSE to_timestamp((ticks - 621355968000000000) / 1e7) END;

COMMENT ON FUNCTION scheduler_ticks_to_timestamptz(bigint) IS
    'Quartz stores times as .NET ticks (100 ns since 0001-01-01 UTC); this turns one into timestamptz.';

DROP VIEW IF EXISTS scheduler_triggers, scheduler_paused_groups, scheduler_nodes, scheduler_running,
    scheduler_executions, scheduler_misfires, scheduler_job_status;

CREATE VIEW scheduler_triggers AS
SELECT t.sched_name,
       t.trigger_group,
       t.trigger_name,
       t.job_group,
       t.job_name,
       t.trigger_type,
       t.trigger_state,
       (t.trigger_state IN ('PAUSED', 'PAUSED_BLOCKED') OR tg.trigger_group IS NOT NULL OR jg.job_group IS NOT NULL) AS paused,
       coalesce(t.pause_reason, tg.pause_reason, jg.pause_reason) AS pause_reason,
       coalesce(t.paused_by, tg.paused_by, jg.paused_by) AS paused_by,
       scheduler_ticks_to_timestamptz(coalesce(t.paused_at, tg.paused_at, jg.paused_at)) AS paused_at,
       scheduler_ticks_to_timestamptz(t.next_fire_time) AS next_fire_at,
       scheduler_ticks_to_timestamptz(t.prev_fire_time) AS prev_fire_at,
       scheduler_ticks_to_timestamptz(t.start_time) AS start_at,
       scheduler_ticks_to_timestamptz(t.end_time) AS end_at,
       c.cron_expression,
       c.time_zone_id,
       s.repeat_interval / 10000 AS repeat_interval_ms,
       s.times_triggered,
       t.priority,
       t.misfire_instr,
       t.execution_group,
       t.retry_policy,
       t.retry_attempt,
       t.description
FROM qrtz_triggers t
LEFT JOIN qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group)
LEFT JOIN qrtz_simple_triggers s USING (sched_name, trigger_name, trigger_group)
LEFT JOIN qrtz_paused_trigger_grps tg ON tg.sched_name = t.sched_name AND tg.trigger_group = t.trigger_group
LEFT JOIN qrtz_paused_job_grps jg ON jg.sched_name = t.sched_name AND jg.job_group = t.job_group;

COMMENT ON VIEW scheduler_triggers IS
    'Every trigger with its job, state, pause (own, trigger group or job group) and fire times as timestamptz.';

CREATE VIEW scheduler_paused_groups AS
SELECT sched_name, 'trigger'::text AS kind, trigger_group AS group_name, pause_reason, paused_by,
       scheduler_ticks_to_timestamptz(paused_at) AS paused_at
FROM qrtz_paused_trigger_grps
UNION ALL
SELECT sched_name, 'job'::text, job_group, pause_reason, paused_by, scheduler_ticks_to_timestamptz(paused_at)
FROM qrtz_paused_job_grps;

COMMENT ON VIEW scheduler_paused_groups IS 'Paused trigger groups and job groups, with why, who and when.';

CREATE VIEW scheduler_nodes AS
SELECT s.sched_name,
       s.instance_name AS node,
       scheduler_ticks_to_timestamptz(s.last_checkin_time) AS last_checkin_at,
       s.checkin_interval AS checkin_interval_ms,
       round(extract(epoch FROM now() - scheduler_ticks_to_timestamptz(s.last_checkin_time))::numeric, 1) AS seconds_since_checkin,
       CASE
           WHEN now() - scheduler_ticks_to_timestamptz(s.last_checkin_time)
                > make_interval(secs => s.checkin_interval / 1000.0 + 3) THEN 'failed'
           WHEN now() - scheduler_ticks_to_timestamptz(s.last_checkin_time)
                > make_interval(secs => s.checkin_interval / 1000.0) THEN 'overdue'
           ELSE 'alive'
       END AS status,
       s.quartz_version,
       (SELECT count(*) FROM qrtz_fired_triggers f
         WHERE f.sched_name = s.sched_name AND f.instance_name = s.instance_name AND f.state = 'EXECUTING') AS executing,
       (SELECT count(*) FROM qrtz_fired_triggers f
         WHERE f.sched_name = s.sched_name AND f.instance_name = s.instance_name AND f.state = 'ACQUIRED') AS acquired
FROM qrtz_scheduler_state s;

COMMENT ON VIEW scheduler_nodes IS
    'Cluster nodes: last check-in, status (failed assumes the service''s default 3 s check-in misfire threshold), work in hand.';

CREATE VIEW scheduler_running AS
SELECT f.sched_name,
       f.instance_name AS node,
       f.job_group,
       f.job_name,
       f.trigger_group,
       f.trigger_name,
       f.entry_id AS fire_instance_id,
       f.state,
       scheduler_ticks_to_timestamptz(f.fired_time) AS fired_at,
       scheduler_ticks_to_timestamptz(f.sched_time) AS scheduled_at,
       round(extract(epoch FROM now() - scheduler_ticks_to_timestamptz(f.fired_time))::numeric, 1) AS running_seconds,
       f.requests_recovery,
       f.is_nonconcurrent,
       f.progress,
       f.progress_message,
       scheduler_ticks_to_timestamptz(f.interrupt_requested_time) AS interrupt_requested_at
FROM qrtz_fired_triggers f;

COMMENT ON VIEW scheduler_running IS 'Fires reserved (ACQUIRED) or running (EXECUTING) right now, per node, with progress.';

CREATE VIEW scheduler_executions AS
SELECT e.sched_name,
       e.entry_id,
       e.instance_name AS node,
       e.job_group,
       e.job_name,
       e.trigger_group,
       e.trigger_name,
       e.fire_instance_id,
       scheduler_ticks_to_timestamptz(e.fired_time) AS fired_at,
       scheduler_ticks_to_timestamptz(e.fired_time + e.run_time) AS finished_at,
       round(e.run_time / 10000.0, 1) AS duration_ms,
       e.succeeded,
       CASE e.result WHEN 0 THEN 'succeeded' WHEN 1 THEN 'failed' WHEN 2 THEN 'cancelled' WHEN 3 THEN 'skipped'
                     ELSE CASE WHEN e.succeeded THEN 'succeeded' ELSE 'failed' END END AS result,
       e.error_message,
       e.retry_attempt,
       e.retry_scheduled,
       e.manual,
       e.summary
FROM qrtz_execution_history e;

COMMENT ON VIEW scheduler_executions IS 'One row per execution: node, start and end as timestamptz, duration in ms, outcome.';

CREATE VIEW scheduler_misfires AS
SELECT m.sched_name,
       m.entry_id,
       m.instance_name AS node,
       m.trigger_group,
       m.trigger_name,
       m.job_group,
       m.job_name,
       scheduler_ticks_to_timestamptz(m.sched_time) AS scheduled_at,
       scheduler_ticks_to_timestamptz(m.misfire_time) AS misfired_at,
       CASE m.reason WHEN 0 THEN 'missed' WHEN 1 THEN 'overlap' WHEN 2 THEN 'vetoed' END AS reason
FROM qrtz_misfire_history m;

COMMENT ON VIEW scheduler_misfires IS 'Fires that did not run on time: missed (misfire), skipped for overlap, or vetoed.';

CREATE VIEW scheduler_job_status AS
SELECT j.sched_name,
       j.job_group,
       j.job_name,
       scheduler_ticks_to_timestamptz(j.first_fired_time) AS first_fired_at,
       scheduler_ticks_to_timestamptz(j.last_fired_time) AS last_fired_at,
       CASE j.last_result WHEN 0 THEN 'succeeded' WHEN 1 THEN 'failed' WHEN 2 THEN 'cancelled' WHEN 3 THEN 'skipped' END AS last_result,
       round(j.last_run_time / 10000.0, 1) AS last_duration_ms,
       j.last_instance_name AS last_node,
       j.last_summary,
       scheduler_ticks_to_timestamptz(j.last_success_time) AS last_success_at,
       scheduler_ticks_to_timestamptz(j.last_failure_time) AS last_failure_at,
       j.last_failure_message,
       j.consecutive_failures,
       j.run_count,
       j.failure_count
FROM qrtz_job_status j;

COMMENT ON VIEW scheduler_job_status IS 'Per job: first and last run, last outcome and duration, failure streak and counts.';
