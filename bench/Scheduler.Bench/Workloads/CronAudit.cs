using System.Globalization;
using System.Text.Json.Nodes;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// Audits a <see cref="CronPlan"/> against scheduler_heartbeat, one row per execution with the trigger, its scheduled fire
/// time (the occurrence's, also on a recovery re-fire), when Quartz fired it and when the job body started.
/// </summary>
public static class CronAudit
{
    /// <summary>Waits until every expected occurrence ran, or the plan ended and no row arrived for 5 s, or 90 s past its end.</summary>
    public static async Task WaitAsync(BenchContext context, CronPlan plan, NodeCluster cluster, NodeProcess? killed = null)
    {
        long last = -1;
        var progressAt = context.Time.GetUtcNow();
        while (true)
        {
            var now = context.Time.GetUtcNow();
            var done = await context.Db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat WHERE sched_name = @s", ("s", plan.Instance));
            cluster.EnsureAlive(killed);
            if (done != last)
            {
                (last, progressAt) = (done, now);
            }

            if (done >= plan.Expected || (now > plan.End && now - progressAt > TimeSpan.FromSeconds(5)) || now > plan.End.AddSeconds(90))
            {
                return;
            }

            await Task.Delay(1000);
        }
    }

    /// <summary>Executions, duplicates, misses, lateness percentiles and Quartz's misfires, as a JSON object.</summary>
    public static async Task<JsonObject> MeasureAsync(BenchContext context, CronPlan plan)
    {
        var p = new (string, object)[] { ("s", plan.Instance), ("t0", plan.Start), ("n", plan.Triggers), ("d", plan.Seconds) };
        var row = (await context.Db.RowsAsync(
            """
            WITH expected AS (
                SELECT 'cron-' || lpad(i::text, 5, '0') AS trigger_name, @t0 + make_interval(secs => s) AS scheduled
                FROM generate_series(0, @n - 1) i, generate_series(0, @d - 1) s),
            hb AS (SELECT * FROM scheduler_heartbeat WHERE sched_name = @s)
            SELECT (SELECT count(*) FROM hb),
                   (SELECT coalesce(sum(c - 1), 0) FROM (SELECT count(*) c FROM hb GROUP BY trigger_name, scheduled_fire_time HAVING count(*) > 1) d),
                   (SELECT count(*) FROM expected e WHERE NOT EXISTS
                        (SELECT 1 FROM hb WHERE hb.trigger_name = e.trigger_name AND hb.scheduled_fire_time = e.scheduled)),
                   (SELECT count(*) FROM hb WHERE NOT EXISTS
                        (SELECT 1 FROM expected e WHERE hb.trigger_name = e.trigger_name AND hb.scheduled_fire_time = e.scheduled)),
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM (SELECT extract(epoch FROM started_at - scheduled_fire_time) * 1000 ms FROM hb) l),
                   (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) FROM (SELECT extract(epoch FROM started_at - scheduled_fire_time) * 1000 ms FROM hb) l),
                   (SELECT max(extract(epoch FROM started_at - scheduled_fire_time) * 1000) FROM hb),
                   (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM (SELECT extract(epoch FROM fired_at - scheduled_fire_time) * 1000 ms FROM hb) l),
                   (SELECT percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) FROM (SELECT extract(epoch FROM fired_at - scheduled_fire_time) * 1000 ms FROM hb) l),
                   (SELECT count(*) FROM qrtz_misfire_history WHERE sched_name = @s),
                   (SELECT count(*) FROM scheduler_suppressed_duplicates WHERE sched_name = @s),
                   (SELECT string_agg(instance_id || '=' || n, ' ' ORDER BY instance_id)
                      FROM (SELECT instance_id, count(*) n FROM hb GROUP BY 1) x)
            """, p))[0];
        return new JsonObject
        {
            ["triggers"] = plan.Triggers,
            ["duration_s"] = plan.Seconds,
            ["expected"] = plan.Expected,
            ["executions"] = Long(row[0]),
            ["duplicates"] = Long(row[1]),
            ["misses"] = Long(row[2]),
            ["unexpected"] = Long(row[3]),
            ["lateness_ms"] = new JsonObject { ["p50"] = Ms(row[4]), ["p99"] = Ms(row[5]), ["max"] = Ms(row[6]) },
            ["fire_lateness_ms"] = new JsonObject { ["p50"] = Ms(row[7]), ["p99"] = Ms(row[8]) },
            ["quartz_misfires"] = Long(row[9]),
            ["suppressed_duplicates"] = Long(row[10]),
            ["per_node"] = (string?)row[11],
        };
    }

    /// <summary>Adds the audit's figures of <paramref name="run"/> to the printed table: lateness p50/p99/max, duplicates, misses.</summary>
    public static void AddRows(BenchContext context, string workload, JsonObject run, CronPlan plan, string settings)
    {
        var lateness = (JsonObject)run["lateness_ms"]!;
        context.Results.Row(workload, "lateness p50 (ms)", (double?)lateness["p50"], "0.0", settings);
        context.Results.Row(workload, "lateness p99 (ms)", (double?)lateness["p99"], "0.0", settings);
        context.Results.Row(workload, "lateness max (ms)", (double?)lateness["max"], "0.0", settings);
        context.Results.Row(workload, "duplicates", (long)run["duplicates"]!, "0", settings);
        context.Results.Row(workload, $"misses (of {plan.Expected})", (long)run["misses"]!, "0", settings);
    }

    private static long Long(object? value) => Convert.ToInt64(value ?? 0, CultureInfo.InvariantCulture);

    private static double? Ms(object? value) => value is null ? null : Math.Round(Convert.ToDouble(value, CultureInfo.InvariantCulture), 1);
}
