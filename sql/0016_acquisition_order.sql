-- 0016_acquisition_order.sql
-- The order every node claims due triggers in. A node's acquisition reads WAITING triggers ordered by fire time, priority
-- and then the trigger's key (Scheduler.Core's OrderedPostgreSQLDelegate), so that two nodes claiming the same rows lock
-- them in one order and never deadlock. Quartz's idx_qrtz_t_nft_st ends its key at priority: with it, a round had to read
-- and sort every trigger due at the same instant (a whole top-of-the-hour herd) to find its first 20. This index holds
-- the full order, so the round reads only the rows it claims. Quartz's index stays for its other queries.
--
-- On a large database, build it beforehand without blocking writes, as for 0014 (sql/README.md):
--     grep '^CREATE INDEX' sql/0016_acquisition_order.sql | sed 's/CREATE INDEX IF NOT EXISTS/CREATE INDEX CONCURRENTLY IF NOT EXISTS/' | psql -d scheduler
CREATE INDEX IF NOT EXISTS idx_qrtz_t_acquire ON qrtz_triggers (sched_name, trigger_state, next_fire_time, priority DESC, trigger_name, trigger_group) INCLUDE (misfire_instr, misfire_threshold);
