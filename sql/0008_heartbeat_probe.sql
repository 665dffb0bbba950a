-- 0008_heartbeat_probe.sql
-- Lets the heartbeat job double as the fault harness's probe: which trigger fired, and when the job's work
-- started and finished on the node. No unique constraint on purpose: duplicates must be countable.
-- Safe to run twice.

ALTER TABLE scheduler_heartbeat ADD COLUMN IF NOT EXISTS trigger_name text;
ALTER TABLE scheduler_heartbeat ADD COLUMN IF NOT EXISTS started_at timestamptz;

CREATE INDEX IF NOT EXISTS idx_scheduler_heartbeat_occurrence ON scheduler_heartbeat (trigger_name, scheduled_fire_time);
