-- 0004_heartbeat.sql
-- The sample job's table: the heartbeat job (src/Scheduler.Jobs/Heartbeat) writes one row per
-- execution saying which node ran which scheduled fire time, so a fresh cluster visibly does work
-- and a DBA can see the load spread across nodes. Safe to run twice.

CREATE TABLE IF NOT EXISTS scheduler_heartbeat (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sched_name          text        NOT NULL,
    instance_id         text        NOT NULL,
    job_name            text        NOT NULL,
    scheduled_fire_time timestamptz,
    fired_at            timestamptz NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now(),
    fire_instance_id    text        NOT NULL
);

CREATE INDEX IF NOT EXISTS idx_scheduler_heartbeat_recorded ON scheduler_heartbeat (recorded_at);

COMMENT ON TABLE scheduler_heartbeat IS
    'Sample heartbeat job: one row per execution, naming the node (instance_id) that ran the scheduled fire time.';
