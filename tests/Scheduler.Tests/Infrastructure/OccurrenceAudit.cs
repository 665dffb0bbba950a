namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// Checks the probe's rows (scheduler_heartbeat, no unique constraint) against every (trigger, fire time) a set of
/// every-second triggers should have produced in a window: how many are missing, how many ran more than once, how late.
/// </summary>
public sealed record OccurrenceAudit(long Expected, long Missing, long Duplicated, double LatenessP50Ms, double LatenessP99Ms, double LatenessMaxMs)
{
    public static async Task<OccurrenceAudit> ForEverySecondAsync(TestDatabase db, IReadOnlyList<string> triggers, DateTimeOffset from, DateTimeOffset to)
    {
        var rows = await db.ListAsync(
            $"""
            WITH expected AS (
                SELECT t.trigger_name, gs AS at
                FROM unnest(ARRAY['{string.Join("','", triggers)}']) AS t(trigger_name),
                     generate_series(date_trunc('second', '{from.UtcDateTime:O}'::timestamptz), '{to.UtcDateTime:O}'::timestamptz, interval '1 second') AS gs),
            runs AS (
                SELECT e.trigger_name, e.at, count(h.id) AS n, min(extract(epoch FROM h.started_at - e.at) * 1000) AS lateness_ms
                FROM expected e
                LEFT JOIN scheduler_heartbeat h ON h.trigger_name = e.trigger_name AND h.scheduled_fire_time = e.at
                GROUP BY 1, 2)
            SELECT count(*), count(*) FILTER (WHERE n = 0), count(*) FILTER (WHERE n > 1),
                   coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY lateness_ms), 0),
                   coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY lateness_ms), 0),
                   coalesce(max(lateness_ms), 0)
            FROM runs
            """,
            r => new OccurrenceAudit(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetDouble(3), r.GetDouble(4), r.GetDouble(5)));
        return rows.Single();
    }

    public override string ToString() =>
        $"expected {Expected}, missing {Missing}, duplicated {Duplicated}, lateness p50 {LatenessP50Ms:0} ms, p99 {LatenessP99Ms:0} ms, max {LatenessMaxMs:0} ms";
}
