using Quartz;
using Scheduler.Core.Operations;

namespace Scheduler.Web.Dashboard.Pages;

/// <summary>What <see cref="OverviewPage"/> shows: nodes, what runs now, the last hour's runs and failures, the next fires.</summary>
public sealed record OverviewModel(
    IReadOnlyList<NodeView> Nodes,
    IReadOnlyList<FireInstanceView> Running,
    Page<ExecutionView> FailuresLastHour,
    IReadOnlyList<TriggerView> NextFires,
    IReadOnlyList<RunBucket> RunsPerMinute,
    DateTimeOffset ChartFrom,
    IReadOnlyList<ExecutionView> Timeline,
    DateTimeOffset TimelineFrom)
{
    /// <summary>Minutes in the runs chart.</summary>
    public const int ChartMinutes = 60;

    /// <summary>Executions drawn on the timeline at most (the newest).</summary>
    public const int TimelineLimit = 500;

    public static readonly TimeSpan TimelineSpan = TimeSpan.FromMinutes(15);

    public static async Task<OverviewModel> LoadAsync(OperatorQueries q, DateTimeOffset now, CancellationToken ct)
    {
        var nodes = await q.NodesAsync(ct);
        var running = await q.RunningAsync(null, null, ct);
        var failures = await q.ExecutionsAsync(new ExecutionFilter(null, [JobRunResult.Failed], null, now.AddHours(-1), null, 0, 100), ct);
        var next = (await q.TriggersAsync(new TriggerFilter(null, null, null, null, 0, 500), ct)).Items
            .Where(t => t.NextFireUtc is not null && t.State is not ("Paused" or "PausedBlocked" or "Error")).OrderBy(t => t.NextFireUtc).Take(10).ToList();
        // Whole minutes, so each bar is one clock minute; the current minute is the last.
        var minute = new DateTimeOffset(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var chartFrom = minute.AddMinutes(1 - ChartMinutes);
        var buckets = await q.RunsOverTimeAsync(chartFrom, minute.AddMinutes(1), TimeSpan.FromMinutes(1), ct);
        var timelineFrom = now - TimelineSpan;
        var timeline = await q.ExecutionsAsync(new ExecutionFilter(null, null, null, timelineFrom, null, 0, TimelineLimit), ct);
        return new OverviewModel(nodes, running, failures, next, buckets, chartFrom, timeline.Items, timelineFrom);
    }
}
