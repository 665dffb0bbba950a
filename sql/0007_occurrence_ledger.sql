-- 0007_occurrence_ledger.sql
-- The occurrence ledger that fences executions: before a job body runs, the node claims the occurrence
-- (job, trigger, scheduled fire time) here. A second claim of the same occurrence — a stalled node waking
-- up, a recovery re-fire after the work already completed — is not run and is recorded in
-- scheduler_suppressed_duplicates. A claim held by a node the cluster declared failed is taken over with a
-- new claim_token; completing requires the current token, so a claim is never completed by two nodes.
-- Safe to run twice.

CREATE TABLE IF NOT EXISTS scheduler_occurrences (
    sched_name            text        NOT NULL,
    job_group             text        NOT NULL,
    job_name              text        NOT NULL,
    trigger_group         text        NOT NULL,
    trigger_name          text        NOT NULL,
    scheduled_fire_time   timestamptz NOT NULL,
    state                 text        NOT NULL CHECK (state IN ('claimed', 'completed', 'failed')),
    claim_token           uuid        NOT NULL,
    claimed_by            text        NOT NULL,
    claimed_at            timestamptz NOT NULL,
    fire_instance_id      text        NOT NULL,
    completed_at          timestamptz,
    attempts              integer     NOT NULL DEFAULT 1,
    duplicates_suppressed integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time)
);

CREATE INDEX IF NOT EXISTS idx_scheduler_occurrences_claimed_at ON scheduler_occurrences (claimed_at);

CREATE TABLE IF NOT EXISTS scheduler_suppressed_duplicates (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sched_name          text        NOT NULL,
    job_group           text        NOT NULL,
    job_name            text        NOT NULL,
    trigger_group       text        NOT NULL,
    trigger_name        text        NOT NULL,
    scheduled_fire_time timestamptz NOT NULL,
    fire_instance_id    text        NOT NULL,
    node                text        NOT NULL,
    reason              text        NOT NULL,
    suppressed_at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS idx_scheduler_suppressed_at ON scheduler_suppressed_duplicates (suppressed_at);

COMMENT ON TABLE scheduler_occurrences IS
    'One row per (job, trigger, scheduled fire time) executed: who claimed it, with which token, and how it ended.';
COMMENT ON TABLE scheduler_suppressed_duplicates IS
    'Executions not run (or not committed) because their occurrence was already completed or held by a live node.';
