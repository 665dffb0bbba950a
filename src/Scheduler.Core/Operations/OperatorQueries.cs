using Quartz;
using Quartz.Extensibility;
using Scheduler.Data.Operations;

namespace Scheduler.Core.Operations;

/// <summary>
/// The read side of the operator surface (API, dashboard, CLI): Quartz's public query API and execution history, plus
/// the node and occurrence tables of ours. Any node, or a CLI that never starts its scheduler, answers for the cluster.
/// </summary>
public sealed partial class OperatorQueries(
    ISchedulerFactory schedulers,
    IExecutionHistoryStore history,
    NodeInfoStore nodeInfo,
    OccurrenceQueries occurrences,
    TriggerErrorStore triggerErrors,
    ExecutionCounts executionCounts,
    TimeProvider clock)
{
    /// <summary>Every node the store knows, with its version and what it runs now. A CLI's own unstarted scheduler is left out.</summary>
    public async Task<IReadOnlyList<NodeView>> NodesAsync(CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var nodes = await scheduler.QueryClusterNodes(cancellationToken);
        var info = await nodeInfo.ReadAllAsync(cancellationToken);
        var running = (await scheduler.QueryFireInstances(
                new FireInstanceQuery { State = FireInstanceState.Executing, Take = PagedQuery.All }, cancellationToken)).Items
            .GroupBy(f => f.SchedulerInstanceId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return nodes
            .Where(n => !n.IsCurrentNode || scheduler.Status != SchedulerStatus.Created)
            .Select(n =>
            {
                info.TryGetValue(n.InstanceId, out var i);
                return new NodeView(n.InstanceId, n.State.ToString().ToLowerInvariant(), n.LastCheckInUtc, n.CheckInInterval?.TotalMilliseconds,
                    i?.Version, i?.Host, i?.StartedAt, running.GetValueOrDefault(n.InstanceId), n.IsCurrentNode);
            })
            .ToList();
    }

    /// <summary>Firings running in the cluster now, optionally of one job or on one node.</summary>
    public async Task<IReadOnlyList<FireInstanceView>> RunningAsync(JobKey? job, string? node, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var page = await scheduler.QueryFireInstances(
            new FireInstanceQuery { Job = job, SchedulerInstanceId = node, State = FireInstanceState.Executing, Take = PagedQuery.All },
            cancellationToken);
        return page.Items.Select(f => new FireInstanceView(
            f.FireInstanceId, f.TriggerKey.Group, f.TriggerKey.Name, f.JobKey?.Group, f.JobKey?.Name, f.SchedulerInstanceId,
            f.State.ToString(), f.FireTimeUtc, f.ScheduledFireTimeUtc, f.Progress, f.ProgressMessage)).ToList();
    }

    /// <summary>Triggers by group (exact), name (contains), state and job, one page, with the total.</summary>
    public async Task<Page<TriggerView>> TriggersAsync(TriggerFilter filter, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var page = await scheduler.QueryTriggers(new TriggerQuery
        {
            Group = filter.Group is null ? null : GroupMatcher<TriggerKey>.GroupEquals(filter.Group),
            Name = filter.NameContains is null ? null : NameMatcher<TriggerKey>.NameContains(filter.NameContains),
            State = filter.State,
            Job = filter.Job,
            Skip = filter.Skip,
            Take = filter.Take,
            IncludeTotalCount = true,
        }, cancellationToken);
        var views = new List<TriggerView>(page.Items.Count);
        foreach (var header in page.Items)
        {
            views.Add(await WithCauseAsync(scheduler, await TriggerViews.BuildAsync(scheduler, header, cancellationToken), cancellationToken));
        }

        return new Page<TriggerView>(views, filter.Skip, filter.Take, page.HasMore, page.TotalCount);
    }

    /// <summary>Why <paramref name="trigger"/> is in ERROR, as the node that saw it recorded; null when nobody did.</summary>
    public async Task<string?> ErrorCauseAsync(TriggerKey trigger, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        return await triggerErrors.FindAsync(scheduler.SchedulerName, trigger.Group, trigger.Name, cancellationToken);
    }

    private async Task<TriggerView> WithCauseAsync(IScheduler scheduler, TriggerView view, CancellationToken cancellationToken) =>
        view.State != nameof(TriggerState.Error) ? view
        : view with { ErrorCause = await triggerErrors.FindAsync(scheduler.SchedulerName, view.Group, view.Name, cancellationToken) };

    /// <summary>The scheduler these queries read through: the node's own, or the CLI's unstarted one.</summary>
    public async Task<IScheduler> SchedulerAsync(CancellationToken cancellationToken) => await schedulers.GetScheduler(cancellationToken);

    private static string ResultName(JobRunResult result) => result.ToString().ToLowerInvariant();
}
