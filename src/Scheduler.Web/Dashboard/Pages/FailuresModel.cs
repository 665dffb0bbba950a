using Quartz;
using Scheduler.Core.Operations;
using Scheduler.Data.Operations;

namespace Scheduler.Web.Dashboard.Pages;

/// <summary>What <see cref="FailuresPage"/> shows: the last 24 hours' failures grouped, triggers in ERROR, what can be replayed, misfires.</summary>
public sealed record FailuresModel(
    DateTimeOffset Since,
    IReadOnlyList<FailureGroup> Groups,
    IReadOnlyList<TriggerView> TriggersInError,
    IReadOnlyList<OccurrenceRecord> DeadLetters,
    IReadOnlyList<OccurrenceRecord> FailedOccurrences,
    IReadOnlyList<MisfireView> Misfires)
{
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public static async Task<FailuresModel> LoadAsync(OperatorQueries q, DateTimeOffset now, CancellationToken ct)
    {
        var since = now - Window;
        var groups = await q.FailureGroupsAsync(since, 100, ct);
        var errors = await q.TriggersAsync(new TriggerFilter(null, null, TriggerState.Error, null, 0, 100), ct);
        var dead = await q.OccurrencesAsync("dead", null, 0, 50, ct);
        var failed = await q.OccurrencesAsync("failed", null, 0, 50, ct);
        var misfires = await q.MisfiresAsync(null, 0, 20, ct);
        return new FailuresModel(since, groups, errors.Items, dead, failed, misfires.Items);
    }
}
