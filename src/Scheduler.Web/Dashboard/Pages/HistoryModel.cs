using Quartz;
using Scheduler.Core.Operations;

namespace Scheduler.Web.Dashboard.Pages;

/// <summary>
/// What <see cref="HistoryPage"/> shows: one page of executions across every job, narrowed by job, outcome, node and a
/// fire-time window, with the runs and failures of that window (all nodes) per minute or hour.
/// </summary>
public sealed record HistoryModel(
    Page<ExecutionView> Executions,
    IReadOnlyList<string> Nodes,
    IReadOnlyList<RunBucket> Buckets,
    DateTimeOffset ChartFrom,
    TimeSpan BucketSize,
    int Slots,
    string? Group,
    string? Job,
    string? Outcome,
    string? Node,
    DateTimeOffset? From,
    DateTimeOffset? To)
{
    public const int PageSize = 50;

    /// <summary>The longest stretch the chart draws; a wider window shows its last week.</summary>
    public static readonly TimeSpan MaxChartSpan = TimeSpan.FromDays(7);

    public static readonly IReadOnlyList<string> Outcomes = ["succeeded", "failed", "cancelled", "skipped"];

    public IReadOnlyList<KeyValuePair<string, string?>> Filters =>
    [
        new("group", Group), new("job", Job), new("outcome", Outcome), new("node", Node),
        new("from", From?.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture)),
        new("to", To?.UtcDateTime.ToString("o", System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <exception cref="OperatorException">A filter is not acceptable, or only one of group and job is given (Invalid).</exception>
    public static async Task<HistoryModel> LoadAsync(
        OperatorQueries q, DateTimeOffset now, string? group, string? job, string? outcome, string? node, string? from, string? to, int? skip,
        CancellationToken ct)
    {
        var g = Input.OptionalName("group", group);
        var j = Input.OptionalName("job", job);
        if ((g is null) != (j is null))
        {
            throw OperatorException.Invalid("Give both 'group' and 'job' to see one job's runs, or neither.");
        }

        var key = g is null ? null : new JobKey(j!, g);
        var results = Input.Outcomes(outcome);
        var n = Input.OptionalName("node", node);
        var start = Input.Instant("from", from);
        var end = Input.Instant("to", to);
        if (start >= end)
        {
            throw OperatorException.Invalid("'from' must be before 'to'.");
        }

        var (s, t) = Input.Paging(skip, PageSize);
        var executions = await q.ExecutionsAsync(new ExecutionFilter(key, results, n, start, end, s, t), ct);
        var nodes = (await q.NodesAsync(ct)).Select(v => v.InstanceId).ToList();

        var chartTo = end ?? now;
        var chartFrom = start is { } f && chartTo - f <= MaxChartSpan ? f : chartTo - (start is null ? TimeSpan.FromHours(24) : MaxChartSpan);
        var bucket = chartTo - chartFrom <= TimeSpan.FromHours(3) ? TimeSpan.FromMinutes(1) : TimeSpan.FromHours(1);
        var aligned = new DateTimeOffset(chartFrom.UtcTicks - chartFrom.UtcTicks % bucket.Ticks, TimeSpan.Zero);
        var slots = (int)Math.Ceiling((chartTo - aligned) / bucket);
        var buckets = await q.RunsOverTimeAsync(aligned, chartTo, bucket, ct, key);
        return new HistoryModel(executions, nodes, buckets, aligned, bucket, Math.Max(1, slots), g, j, outcome, n, start, end);
    }
}
