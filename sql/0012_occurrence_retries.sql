-- 0012_occurrence_retries.sql
-- Service-owned retries and dead letters (issue 11). An occurrence that failed with attempts left is 'retrying':
-- retry_trigger names the one-shot trigger (group scheduler-retries) that runs its next attempt at retry_at, so a
-- node that finds the row 'retrying' with no such trigger re-schedules it (recovery). An occurrence whose attempts
-- are spent, or whose failure is not retryable, is 'dead' (a dead letter an operator can replay). last_error keeps
-- the last failure's message. scheduler_trigger_errors records why Quartz put a trigger in ERROR.
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
