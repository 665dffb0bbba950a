-- 0006_config_schedules.sql
-- Which jobs the configuration owns. At start one node at a time (advisory lock 83610002) reconciles
-- the Quartz store with the Scheduler:Jobs configuration: it adds, updates and removes only the jobs
-- listed here, so jobs and triggers created at run time (API, CLI) are never touched. fingerprint is
-- the SHA-256 of the entry as it was applied: an unchanged entry is left alone and keeps its next fire time.
-- Safe to run twice.

CREATE TABLE IF NOT EXISTS scheduler_config_jobs (
    sched_name  text        NOT NULL,
    job_group   text        NOT NULL,
    job_name    text        NOT NULL,
    entry_name  text        NOT NULL,
    fingerprint text        NOT NULL,
    definition  jsonb       NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    applied_by  text        NOT NULL,
    PRIMARY KEY (sched_name, job_group, job_name)
);

COMMENT ON TABLE scheduler_config_jobs IS
    'Jobs owned by the Scheduler:Jobs configuration (one row per entry applied); reconcile never touches other jobs.';
COMMENT ON COLUMN scheduler_config_jobs.definition IS
    'The entry as applied (type, cron, zone, policies, job data keys); values of headers are not stored.';
