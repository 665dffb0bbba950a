-- 0001_schema_migrations.sql
-- The ledger of applied migrations. `scheduler migrate` records one row per file of sql/ it applied,
-- with the SHA-256 of the file's text (line endings normalised to LF), and refuses to run when an
-- applied file's text changed since. Safe to run twice.

CREATE TABLE IF NOT EXISTS schema_migrations (
    version      integer     NOT NULL PRIMARY KEY,
    name         text        NOT NULL,
    checksum     text        NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now(),
    applied_by   text        NOT NULL DEFAULT current_user,
    execution_ms integer     NOT NULL DEFAULT 0
);

COMMENT ON TABLE schema_migrations IS
    'One row per sql/NNNN_*.sql migration applied by `scheduler migrate`; checksum is SHA-256 of the file (LF line endings).';
