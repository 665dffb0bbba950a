-- 0003_quartz_history.sql
-- Quartz.NET 4.7.3's persisted execution history (UsePersistentStore(s => s.UseExecutionHistory())):
-- one row per execution, one per misfire, and one status row per job. Quartz writes and prunes these
-- by the retention configured under Scheduler:History; the views of 0005 read them.
-- Times are .NET ticks in bigint; run_time is a duration in ticks. Safe to run twice.

CREATE TABLE IF NOT EXISTS qrtz_execution_history (
    sched_name          text    NOT NULL,
    entry_id            text    NOT NULL,
    instance_name       text    NOT NULL,
    job_name            text    NOT NULL,
    job_group           text    NOT NULL,
    trigger_name        text    NOT NULL,
    trigger_group       text    NOT NULL,
    fired_time          bigint  NOT NULL,
    run_time            bigint  NOT NULL,
    succeeded           boolean NOT NULL,
    error_message       text,
    retry_attempt       integer NOT NULL DEFAULT 0,
    retry_scheduled     boolean NOT NULL DEFAULT false,
    execution_log       text,
    result              integer,
    summary             text,
    metrics             text,
    manual              boolean,
    fire_instance_id    text,
    job_input           text,
    job_input_too_large boolean,
    PRIMARY KEY (sched_name, entry_id)
);

CREATE TABLE IF NOT EXISTS qrtz_misfire_history (
    sched_name    text   NOT NULL,
    entry_id      text   NOT NULL,
    instance_name text   NOT NULL,
    trigger_name  text   NOT NULL,
    trigger_group text   NOT NULL,
    job_name      text,
    job_group     text,
    misfire_time  bigint NOT NULL,
    sched_time    bigint,
    reason        integer,
    PRIMARY KEY (sched_name, entry_id)
);

CREATE TABLE IF NOT EXISTS qrtz_job_status (
    sched_name           text    NOT NULL,
    job_group            text    NOT NULL,
    job_name             text    NOT NULL,
    first_fired_time     bigint  NOT NULL,
    last_fired_time      bigint  NOT NULL,
    last_result          integer NOT NULL,
    last_run_time        bigint  NOT NULL,
    last_instance_name   text    NOT NULL,
    last_entry_id        text,
    last_summary         text,
    last_success_time    bigint,
    last_failure_time    bigint,
    last_failure_message text,
    consecutive_failures integer NOT NULL DEFAULT 0,
    run_count            bigint  NOT NULL DEFAULT 0,
    failure_count        bigint  NOT NULL DEFAULT 0,
    PRIMARY KEY (sched_name, job_group, job_name)
);

-- Listing indexes: by time, by job, by trigger, by node, by fire instance.
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_fired_time ON qrtz_execution_history (sched_name, fired_time);
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_job_time
    ON qrtz_execution_history (sched_name, job_group, job_name, fired_time);
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_trig_time
    ON qrtz_execution_history (sched_name, trigger_group, trigger_name, fired_time);
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_inst ON qrtz_execution_history (sched_name, instance_name);
CREATE INDEX IF NOT EXISTS idx_qrtz_eh_fire_inst ON qrtz_execution_history (sched_name, fire_instance_id);
CREATE INDEX IF NOT EXISTS idx_qrtz_mh_misfire_time ON qrtz_misfire_history (sched_name, misfire_time);
CREATE INDEX IF NOT EXISTS idx_qrtz_mh_inst ON qrtz_misfire_history (sched_name, instance_name);
