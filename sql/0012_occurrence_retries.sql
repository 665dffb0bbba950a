-- 0012_occurrence_retries.sql
-- Service-owned retries and dead letters (issue 11). An occurrence that failed with attempts left is 'retrying':
-- retry_trigger names the one-shot trigger (group scheduler-retries) that runs its next attempt at retry_at, so a
-- node that finds the row 'retrying' with no such trigger re-schedules it (recovery). An occurrence whose attempts
-- are spent, or whose failure is not retryable, is 'dead' (a dead letter an operator can replay). last_error keeps
-- the last failure's message. scheduler_trigger_errors records why Quartz put a trigger in ERROR (view
-- scheduler_triggers_in_error). scheduler_job_status counts runs and failures from the execution history.
-- Safe to run twice.

ALTER TABLE scheduler_occurrences DROP CONSTRAINT IF EXISTS scheduler_occurrences_state_check;
ALTER TABLE scheduler_occurrences ADD CONSTRAINT scheduler_occurrences_state_check
    CHECK (state IN ('claimed', 'completed', 'failed', 'retrying', 'dead'));

ALTER TABLE scheduler_occurrences ADD COLUMN IF NOT EXISTS last_error    text;
ALTER TABLE scheduler_occurrences ADD COLUMN IF NOT EXISTS retry_at      timestamptz;
ALTER TABLE scheduler_occurrences ADD COLUMN IF NOT EXISTS retry_trigger text;

-- Small partial indexes: the recovery scan reads pending retries, the operator surface dead letters.
CREATE INDEX IF NOT EXISTS idx_scheduler_occurrences_retrying
    ON scheduler_occurrences (retry_at) WHERE state = 'retrying';
CREATE INDEX IF NOT EXISTS idx_scheduler_occurrences_dead
    ON scheduler_occurrences (completed_at DESC) WHERE state = 'dead';

CREATE TABLE IF NOT EXISTS scheduler_trigger_errors (
    sched_name    text        NOT NULL,
    trigger_group text        NOT NULL,
    trigger_name  text        NOT NULL,
    job_group     text        NOT NULL,
    job_name      text        NOT NULL,
    cause         text        NOT NULL,
    node          text        NOT NULL,
    recorded_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sched_name, trigger_group, trigger_name)
);

COMMENT ON COLUMN scheduler_occurrences.last_error IS 'The last failed attempt''s error (truncated to 2000 characters).';
COMMENT ON COLUMN scheduler_occurrences.retry_at IS 'state retrying: when the next attempt is due.';
COMMENT ON COLUMN scheduler_occurrences.retry_trigger IS 'state retrying: the one-shot trigger (group scheduler-retries) that runs the next attempt.';
COMMENT ON TABLE scheduler_trigger_errors IS
    'Why Quartz last put a trigger in ERROR (job class not buildable, job asked to error its triggers); cleared by reset.';

-- Triggers in ERROR with why, for DBAs.
CREATE OR REPLACE VIEW scheduler_triggers_in_error AS
SELECT t.sched_name, t.trigger_group, t.trigger_name, t.job_group, t.job_name,
       e.cause, e.node AS recorded_by, e.recorded_at
FROM qrtz_triggers t
LEFT JOIN scheduler_trigger_errors e USING (sched_name, trigger_group, trigger_name)
WHERE t.trigger_state = 'ERROR';

COMMENT ON VIEW scheduler_triggers_in_error IS 'Triggers Quartz put in ERROR, with the cause a node recorded (null: none recorded).';

-- The job status view's counts come from the execution history (within its retention), as the API and CLI now count:
-- Quartz's own counters in qrtz_job_status left out the failures its retry policy retried (1 counted where history held 53).
CREATE OR REPLACE VIEW scheduler_job_status AS
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
       h.runs AS run_count,
       h.failures AS failure_count
FROM qrtz_job_status j
CROSS JOIN LATERAL (
    SELECT count(*) AS runs,
           count(*) FILTER (WHERE coalesce(e.result, CASE WHEN e.succeeded THEN 0 ELSE 1 END) = 1) AS failures
    FROM qrtz_execution_history e
    WHERE e.sched_name = j.sched_name AND e.job_group = j.job_group AND e.job_name = j.job_name) h;

COMMENT ON VIEW scheduler_job_status IS
    'Per job: first and last run, last outcome and duration, failure streak, and run and failure counts of the retained history.';
