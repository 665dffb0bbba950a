-- 0016_acquisition_order.sql
-- One order in which every node claims triggers due at the same instant, so that nodes never deadlock.
--
-- A firing round reads the due triggers (ORDER BY next_fire_time, priority DESC ... LIMIT n) and claims them one UPDATE
-- each, in that order, holding each claimed row until it commits. Quartz's idx_qrtz_t_nft_st ends its key at priority
-- (then misfire_instr), so triggers due at the same instant with the same priority - a whole top-of-the-hour herd - come
-- back in the physical order of their row versions, which each fire rewrites: two nodes reading a moment apart could get
-- two tied rows in opposite orders, each claim one and wait for the other (PostgreSQL: "deadlock detected"; Quartz retried
-- the round a second later, so those fires started 1-2 s late). This index replaces it with the same leading key followed
-- by the trigger's primary key: the acquisition statement's index scan returns ties in key order on every node, so a node
-- that reaches a row another holds waits for it rather than closing a cycle. It serves Quartz's misfire scan as the old
-- one did (misfire_instr and misfire_threshold are carried for its filter).
--
-- On a large database, build it beforehand without blocking writes (sql/README.md, "Upgrading the schema"):
--     CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_qrtz_t_acquire ON qrtz_triggers (sched_name, trigger_state, next_fire_time, priority DESC, trigger_name, trigger_group) INCLUDE (misfire_instr, misfire_threshold);
--     DROP INDEX CONCURRENTLY IF EXISTS idx_qrtz_t_nft_st;
CREATE INDEX IF NOT EXISTS idx_qrtz_t_acquire ON qrtz_triggers (sched_name, trigger_state, next_fire_time, priority DESC, trigger_name, trigger_group) INCLUDE (misfire_instr, misfire_threshold);
DROP INDEX IF EXISTS idx_qrtz_t_nft_st;
