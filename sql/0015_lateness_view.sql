-- 0015_lateness_view.sql
-- scheduler_lateness: one row per occurrence in the ledger with its three instants — scheduled, claimed by a node (the job
-- body was about to start), completed or failed — and the gaps between them in milliseconds. Lateness is what Quartz's
-- history cannot show (it has no scheduled fire time). For an occurrence run more than once (attempts > 1), claimed_at
-- and node are the latest claim's. Open claims have no completed_at. Times are timestamptz.
-- CREATE OR REPLACE keeps the view's grants. Safe to run twice.

CREATE OR REPLACE VIEW scheduler_lateness AS
SELECT o.sched_name,
       o.job_group,
       o.job_name,
       o.trigger_group,
       o.trigger_name,
       o.claimed_by AS node,
       o.state,
       o.attempts,
       o.scheduled_fire_time AS scheduled_at,
       o.claimed_at,
       o.completed_at,
       round((extract(epoch FROM o.claimed_at - o.scheduled_fire_time) * 1000)::numeric, 1) AS claim_lateness_ms,
       round((extract(epoch FROM o.completed_at - o.claimed_at) * 1000)::numeric, 1) AS run_ms,
       round((extract(epoch FROM o.completed_at - o.scheduled_fire_time) * 1000)::numeric, 1) AS completion_lateness_ms
FROM scheduler_occurrences o;

COMMENT ON VIEW scheduler_lateness IS
    'Per occurrence: scheduled vs claimed vs completed, the node that claimed it, and the gaps in ms (claim lateness, run time, completion lateness).';
