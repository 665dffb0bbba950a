-- roles.sql — not a migration: run once per database by a superuser, before or after `scheduler migrate`:
--
--     psql -v ON_ERROR_STOP=1 -d scheduler -f sql/roles.sql
--
-- Creates three NOLOGIN roles and grants what each needs in the current database; a deployment makes its
-- login roles members (GRANT scheduler_runtime TO node_login;). Safe to run again at any time: it re-applies
-- every grant, so it also repairs grants after a view was re-created by hand as another role.
--
--   scheduler_owner     owns the schema objects; `scheduler migrate` switches to it (SET ROLE) whenever it exists
--                       and the migrating login may use it, so every object a migration creates is owned by it and
--                       picks up the default privileges below.
--   scheduler_runtime   the nodes and the CLI's actions: read/write on the tables, no DDL; on scheduler_audit only
--                       SELECT and INSERT (old rows are pruned through scheduler_prune_audit(), SECURITY DEFINER).
--   scheduler_readonly  DBAs, reporting and the CLI's read verbs (status, jobs, history): SELECT on every view and
--                       table except the secrets: scheduler_dataprotection_keys (the dashboard's cookie keys) and
--                       scheduler_sessions (live dashboard session ids).
--
-- PostgreSQL 15 gives PUBLIC no CREATE on schema public, so the owner gets it here, and CREATE on the database for
-- the optional sample module's schema (`migrate --with-samples`).

DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['scheduler_owner', 'scheduler_runtime', 'scheduler_readonly'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;

COMMENT ON ROLE scheduler_owner IS 'Scheduler: owns the schema; `scheduler migrate` runs as it (sql/roles.sql).';
COMMENT ON ROLE scheduler_runtime IS 'Scheduler: nodes and CLI actions; read/write, no DDL, audit append-only (sql/roles.sql).';
COMMENT ON ROLE scheduler_readonly IS 'Scheduler: views and tables for DBAs and CLI read verbs; no secrets (sql/roles.sql).';

-- The database and the schema.
DO $db$
BEGIN
    EXECUTE format('GRANT CONNECT, CREATE ON DATABASE %I TO scheduler_owner', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO scheduler_runtime, scheduler_readonly', current_database());
END
$db$;

GRANT USAGE, CREATE ON SCHEMA public TO scheduler_owner;
GRANT USAGE ON SCHEMA public TO scheduler_runtime, scheduler_readonly;

-- What later migrations create (as scheduler_owner) is granted as it is created; re-created views keep their grants.
ALTER DEFAULT PRIVILEGES FOR ROLE scheduler_owner GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO scheduler_runtime;
ALTER DEFAULT PRIVILEGES FOR ROLE scheduler_owner GRANT USAGE, SELECT ON SEQUENCES TO scheduler_runtime;
ALTER DEFAULT PRIVILEGES FOR ROLE scheduler_owner GRANT EXECUTE ON FUNCTIONS TO scheduler_runtime;
ALTER DEFAULT PRIVILEGES FOR ROLE scheduler_owner GRANT USAGE ON SCHEMAS TO scheduler_runtime;
ALTER DEFAULT PRIVILEGES FOR ROLE scheduler_owner GRANT SELECT ON TABLES TO scheduler_readonly;

-- Objects that already exist (this file run after a migrate as another role): hand them to the owner, then grant.
DO $existing$
DECLARE
    o record;
BEGIN
    FOR o IN
        SELECT c.oid::regclass AS name, c.relkind
        FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace
          AND c.relkind IN ('r', 'v', 'm', 'p')
          AND (c.relname LIKE 'qrtz\_%' OR c.relname LIKE 'scheduler\_%' OR c.relname = 'schema_migrations')
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO scheduler_owner', o.name);
        IF o.relkind IN ('r', 'p') THEN
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO scheduler_runtime', o.name);
        ELSE
            EXECUTE format('GRANT SELECT ON %s TO scheduler_runtime', o.name);
        END IF;
        EXECUTE format('GRANT SELECT ON %s TO scheduler_readonly', o.name);
    END LOOP;

    FOR o IN
        SELECT p.oid::regprocedure AS name
        FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND p.proname LIKE 'scheduler\_%'
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO scheduler_owner', o.name);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO scheduler_runtime', o.name);
    END LOOP;

    IF EXISTS (SELECT FROM pg_namespace WHERE nspname = 'sample') THEN
        ALTER SCHEMA sample OWNER TO scheduler_owner;
        GRANT USAGE ON SCHEMA sample TO scheduler_runtime;
        FOR o IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                 WHERE c.relnamespace = 'sample'::regnamespace AND c.relkind IN ('r', 'v', 'p') LOOP
            EXECUTE format('ALTER TABLE %s OWNER TO scheduler_owner', o.name);
            EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO scheduler_runtime', o.name);
        END LOOP;
        FOR o IN SELECT p.oid::regprocedure AS name FROM pg_proc p WHERE p.pronamespace = 'sample'::regnamespace LOOP
            EXECUTE format('ALTER FUNCTION %s OWNER TO scheduler_owner', o.name);
        END LOOP;
    END IF;
END
$existing$;

-- Identity sequences follow their table's owner; granted like new ones.
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO scheduler_runtime;

-- The exceptions, applied again by sql/0013 for databases whose roles existed before that migration ran.
DO $exceptions$
BEGIN
    IF to_regclass('scheduler_audit') IS NOT NULL THEN
        REVOKE UPDATE, DELETE, TRUNCATE ON scheduler_audit FROM scheduler_runtime;
    END IF;
    IF to_regclass('scheduler_dataprotection_keys') IS NOT NULL THEN
        REVOKE ALL ON scheduler_dataprotection_keys FROM scheduler_readonly;
        REVOKE UPDATE, DELETE, TRUNCATE ON scheduler_dataprotection_keys FROM scheduler_runtime;
    END IF;
    IF to_regclass('scheduler_sessions') IS NOT NULL THEN
        REVOKE ALL ON scheduler_sessions FROM scheduler_readonly;
    END IF;
    IF to_regprocedure('scheduler_prune_audit(interval,integer)') IS NOT NULL THEN
        REVOKE ALL ON FUNCTION scheduler_prune_audit(interval, integer) FROM PUBLIC, scheduler_readonly;
        GRANT EXECUTE ON FUNCTION scheduler_prune_audit(interval, integer) TO scheduler_runtime;
    END IF;
END
$exceptions$;
