-- 0009_nodes_view_threshold.sql
-- scheduler_nodes called a node 'failed' 7.5 s (Quartz's default check-in misfire threshold) past its
-- interval; the service's default threshold is 3 s (Quartz:JobStore:Clustering:CheckinMisfireThreshold).
-- Same columns, new threshold. Safe to run twice.

CREATE OR REPLACE VIEW scheduler_nodes AS
SELECT s.sched_name,
       s.instance_name AS node,
       scheduler_ticks_to_timestamptz(s.last_checkin_time) AS last_checkin_at,
       s.checkin_interval AS checkin_interval_ms,
       round(extract(epoch FROM now() - scheduler_ticks_to_timestamptz(s.last_checkin_time))::numeric, 1) AS seconds_since_checkin,
       CASE
           WHEN now() - scheduler_ticks_to_timestamptz(s.last_checkin_time)
                > make_interval(secs => s.checkin_interval / 1000.0 + 3) THEN 'failed'
           WHEN now() - scheduler_ticks_to_timestamptz(s.last_checkin_time)
                > make_interval(secs => s.checkin_interval / 1000.0) THEN 'overdue'
           ELSE 'alive'
       END AS status,
       s.quartz_version,
       (SELECT count(*) FROM qrtz_fired_triggers f
         WHERE f.sched_name = s.sched_name AND f.instance_name = s.instance_name AND f.state = 'EXECUTING') AS executing,
       (SELECT count(*) FROM qrtz_fired_triggers f
         WHERE f.sched_name = s.sched_name AND f.instance_name = s.instance_name AND f.state = 'ACQUIRED') AS acquired
FROM qrtz_scheduler_state s;

COMMENT ON VIEW scheduler_nodes IS
    'Cluster nodes: last check-in, status (failed assumes the service''s default 3 s check-in misfire threshold), work in hand.';
