-- 0013_roles_retention_autovacuum.sql
-- What least-privilege roles (sql/roles.sql) and bounded tables need from the schema:
--   scheduler_prune_audit(older_than, batch_size)  deletes one batch of audit rows older than older_than (at least
--       7 days), as the schema's owner (SECURITY DEFINER): the nodes' role may append to scheduler_audit but never
--       UPDATE or DELETE it, and cannot use this to erase recent history.
--   grants that default privileges cannot express, re-applied when sql/roles.sql's roles exist (no-op otherwise):
--       no UPDATE/DELETE on the audit for the runtime role; no read of the secrets (data-protection keys, dashboard
--       sessions) for the read-only role.
--   autovacuum settings for the tables that behave like queues: rows inserted, updated and deleted at the firing
--       rate, so the defaults (vacuum after 20 % of the table is dead, 2 ms cost delay) let them bloat between passes
--       and leave the planner with statistics of an empty table. Smaller thresholds, no cost delay (the tables are
--       small: a pass takes milliseconds), and free space on each page so updates stay HOT (no index churn).
--       The large append-and-prune tables get proportionally earlier vacuum and analyze, so the visibility map
--       (index-only scans) and statistics keep up at 10 M rows.
-- Safe to run twice.

CREATE OR REPLACE FUNCTION scheduler_prune_audit(older_than interval, batch_size integer DEFAULT 5000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT
AS $$
DECLARE
    deleted integer;
BEGIN
    IF older_than IS NULL OR older_than < interval '7 days' THEN
        RAISE EXCEPTION 'scheduler_prune_audit keeps at least 7 days of audit (asked to delete rows older than %)', older_than
            USING ERRCODE = '22023';
    END IF;
    IF batch_size IS NULL OR batch_size NOT BETWEEN 1 AND 100000 THEN
        RAISE EXCEPTION 'scheduler_prune_audit: batch_size must be between 1 and 100000 (was %)', batch_size
            USING ERRCODE = '22023';
    END IF;
    DELETE FROM scheduler_audit
    WHERE id IN (SELECT id FROM scheduler_audit WHERE at < now() - older_than ORDER BY at LIMIT batch_size);
    GET DIAGNOSTICS deleted = ROW_COUNT;
    RETURN deleted;
END
$$;

COMMENT ON FUNCTION scheduler_prune_audit(interval, integer) IS
    'Deletes at most batch_size audit rows older than older_than (>= 7 days) as the owner; returns how many. The only way the nodes delete audit rows.';

REVOKE ALL ON FUNCTION scheduler_prune_audit(interval, integer) FROM PUBLIC;

DO $grants$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'scheduler_runtime') THEN
        GRANT EXECUTE ON FUNCTION scheduler_prune_audit(interval, integer) TO scheduler_runtime;
        REVOKE UPDATE, DELETE, TRUNCATE ON scheduler_audit FROM scheduler_runtime;
        REVOKE UPDATE, DELETE, TRUNCATE ON scheduler_dataprotection_keys FROM scheduler_runtime;
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'scheduler_readonly') THEN
        REVOKE ALL ON FUNCTION scheduler_prune_audit(interval, integer) FROM scheduler_readonly;
        REVOKE ALL ON scheduler_dataprotection_keys FROM scheduler_readonly;
        REVOKE ALL ON scheduler_sessions FROM scheduler_readonly;
    END IF;
END
$grants$;

-- Queue-like: a row per fire in hand, a row per node updated every check-in, a row per trigger updated per fire.
ALTER TABLE qrtz_fired_triggers SET (
    fillfactor = 70, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 500,
    autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000, autovacuum_vacuum_cost_delay = 0);
ALTER TABLE qrtz_scheduler_state SET (
    fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 200, autovacuum_vacuum_cost_delay = 0);
ALTER TABLE qrtz_triggers SET (
    fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);
ALTER TABLE qrtz_simple_triggers SET (
    fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);
ALTER TABLE qrtz_job_status SET (
    fillfactor = 70, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_threshold = 500, autovacuum_vacuum_cost_delay = 0);

-- Append-and-prune, up to millions of rows: vacuum and analyze after 2 % / 1 % instead of 20 % / 10 %.
ALTER TABLE qrtz_execution_history SET (
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE scheduler_occurrences SET (
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
ALTER TABLE scheduler_heartbeat SET (
    autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01);
