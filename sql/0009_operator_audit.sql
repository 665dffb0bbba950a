-- 0009_operator_audit.sql
-- What the operator surface needs from the database beyond Quartz's tables:
--   scheduler_audit      one row per operator action (API, dashboard or CLI): who, what, on what, why, from
--                        where, and whether it worked. Append-only; the service never updates or deletes a row.
--   scheduler_node_info  what each node says about itself when it starts (version, host, process), joined to
--                        qrtz_scheduler_state by instance name to show a node's version beside its check-in.
-- Safe to run twice.

CREATE TABLE IF NOT EXISTS scheduler_audit (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text        NOT NULL,
    role        text        NOT NULL,
    action      text        NOT NULL,
    target      text        NOT NULL,
    reason      text,
    detail      jsonb,
    source      text        NOT NULL,
    node        text        NOT NULL,
    outcome     text        NOT NULL
);

CREATE INDEX IF NOT EXISTS idx_scheduler_audit_at ON scheduler_audit (at);
CREATE INDEX IF NOT EXISTS idx_scheduler_audit_target ON scheduler_audit (target, at);

COMMENT ON TABLE scheduler_audit IS
    'Operator actions (trigger, pause, resume, reset, interrupt, replay, sign-in): actor = API key name or CLI user, source = client address or cli:host, outcome = ok or the error.';

CREATE TABLE IF NOT EXISTS scheduler_node_info (
    instance_name text        PRIMARY KEY,
    version       text        NOT NULL,
    host          text        NOT NULL,
    process_id    integer     NOT NULL,
    started_at    timestamptz NOT NULL
);

COMMENT ON TABLE scheduler_node_info IS
    'One row per node instance id, written at start: the version and process behind a qrtz_scheduler_state row.';
