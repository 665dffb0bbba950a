-- 0010_dataprotection_keys.sql
-- The ASP.NET Core data-protection key ring, shared by every node: the dashboard's sign-in cookie and antiforgery
-- tokens are encrypted with these keys, so a cookie one node issued is read by any other, and survives a restart.
-- Rows are XML documents written by ASP.NET Core (a new key about every 90 days); the service never updates or
-- deletes one. They are secrets: grant SELECT on this table only to the service's role.
-- Safe to run twice.

CREATE TABLE IF NOT EXISTS scheduler_dataprotection_keys (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE scheduler_dataprotection_keys IS
    'ASP.NET Core data-protection keys shared by all nodes (dashboard cookies, antiforgery tokens). Secret.';
