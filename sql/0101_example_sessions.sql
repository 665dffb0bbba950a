-- 0101_example_sessions.sql
-- The table of README's "Adding a job" example (src/Scheduler.Jobs/Examples/ExpireSessionsJob.cs): an
-- application's sign-in sessions, which the job expires. Part of the optional sample module (schema `sample`,
-- applied by `scheduler migrate --with-samples`). Safe to run twice.

CREATE TABLE IF NOT EXISTS sample.user_sessions (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name  text        NOT NULL,
    expires_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS idx_sample_user_sessions_expires ON sample.user_sessions (expires_at);
