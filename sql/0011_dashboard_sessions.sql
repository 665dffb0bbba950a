-- 0011_dashboard_sessions.sql
-- Dashboard sign-in sessions, so that signing out ends a session on every node at once (a copied cookie stops
-- working), and every session has an absolute end. The sign-in cookie carries only the session's id; each
-- dashboard request checks that its row is live (not ended, not expired). One row per sign-in.
--   ended_at / ended_reason   set by sign-out ('signed out') or by an operator ending sessions by hand:
--                             UPDATE scheduler_sessions SET ended_at = now(), ended_reason = 'ended by DBA'
--                             WHERE ended_at IS NULL;   -- signs everyone out of every node
-- The ids are bearer secrets while live: grant SELECT on this table only to the service's role.
-- Safe to run twice.

CREATE TABLE IF NOT EXISTS scheduler_sessions (
    id            uuid        PRIMARY KEY,
    key_name      text        NOT NULL,
    role          text        NOT NULL,
    source        text        NOT NULL,
    node          text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    ended_at      timestamptz,
    ended_reason  text
);

CREATE INDEX IF NOT EXISTS idx_scheduler_sessions_expires ON scheduler_sessions (expires_at);

COMMENT ON TABLE scheduler_sessions IS
    'Dashboard sign-in sessions: a cookie is valid only while its row is neither ended (sign-out) nor past expires_at. Secret while live.';
