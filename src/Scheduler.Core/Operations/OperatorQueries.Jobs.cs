using Quartz;

namespace Scheduler.Core.Operations;

public sealed partial class OperatorQueries
{
    /// <summary>Jobs by group, name and trigger state, one page, each with its triggers' state, next fire and last run.</summary>
    public async Task<Page<JobSummary>> JobsAsync(JobFilter filter, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var group = filter.Group is null ? null : GroupMatcher<JobKey>.GroupEquals(filter.Group);
        var name = filter.NameContains is null ? null : NameMatcher<JobKey>.NameContains(filter.NameContains);
        List<JobHeader> headers;
        bool hasMore;
        int? total;
        if (filter.State is { } state)
        {
            // A job is "in" a state when one of its triggers is: find those jobs first, then page over them.
            var inState = (await scheduler.QueryTriggers(new TriggerQuery { State = state, Take = PagedQuery.All }, cancellationToken)).Items
                .Select(t => t.JobKey).ToHashSet();
            var all = (await scheduler.QueryJobs(new JobQuery { Group = group, Name = name, Take = PagedQuery.All }, cancellationToken)).Items
                .Where(j => inState.Contains(j.Key)).ToList();
            headers = all.Skip(filter.Skip).Take(filter.Take).ToList();
            hasMore = all.Count > filter.Skip + filter.Take;
            total = all.Count;
        }
        else
        {
            var page = await scheduler.QueryJobs(
                new JobQuery { Group = group, Name = name, Skip = filter.Skip, Take = filter.Take, IncludeTotalCount = true }, cancellationToken);
            (headers, hasMore, total) = ([.. page.Items], page.HasMore, page.TotalCount);
        }

        var statuses = await StatusesAsync(scheduler, headers.Select(h => h.Key).ToList(), cancellationToken);
        var counts = await executionCounts.CountAsync(scheduler.SchedulerName, [.. headers.Select(h => (h.Key.Group, h.Key.Name))], cancellationToken);
        var summaries = new List<JobSummary>(headers.Count);
        foreach (var header in headers)
        {
            var triggers = (await scheduler.QueryTriggers(new TriggerQuery { Job = header.Key, Take = PagedQuery.All }, cancellationToken)).Items;
            summaries.Add(Summarize(header, triggers, statuses.GetValueOrDefault(header.Key), counts.GetValueOrDefault((header.Key.Group, header.Key.Name))));
        }

        return new Page<JobSummary>(summaries, filter.Skip, filter.Take, hasMore, total);
    }

    /// <summary>One job in full.</summary>
    /// <exception cref="OperatorException">No job has this key (NotFound).</exception>
    public async Task<JobDetailView> JobAsync(JobKey key, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var detail = await scheduler.GetJobDetail(key, cancellationToken)
            ?? throw OperatorException.NotFound($"No job '{key}'.");
        var headers = (await scheduler.QueryTriggers(new TriggerQuery { Job = key, Take = PagedQuery.All }, cancellationToken)).Items;
        var triggers = new List<TriggerView>(headers.Count);
        var upcoming = new List<DateTimeOffset>();
        foreach (var header in headers)
        {
            triggers.Add(await WithCauseAsync(scheduler, await TriggerViews.BuildAsync(scheduler, header, cancellationToken), cancellationToken));
            upcoming.AddRange(await scheduler.GetUpcomingFireTimes(header.Key, 10, cancellationToken) ?? []);
        }

        var status = (await StatusesAsync(scheduler, [key], cancellationToken)).GetValueOrDefault(key);
        var counts = (await executionCounts.CountAsync(scheduler.SchedulerName, [(key.Group, key.Name)], cancellationToken)).GetValueOrDefault((key.Group, key.Name));
        var jobHeader = new JobHeader(key, detail.Description, detail.JobType.FullName, detail.Durable,
            detail.ConcurrentExecutionDisallowed, detail.PersistJobDataAfterExecution, detail.RequestsRecovery);
        return new JobDetailView(
            Summarize(jobHeader, headers, status, counts),
            detail.Durable,
            detail.ConcurrentExecutionDisallowed,
            detail.RequestsRecovery,
            [.. detail.JobDataMap.Keys.Order(StringComparer.Ordinal)],
            triggers,
            [.. upcoming.Order().Take(10)],
            await RunningAsync(key, null, cancellationToken),
            status?.LastFailureMessage,
            status?.ConsecutiveFailures ?? 0);
    }

    private async Task<Dictionary<JobKey, JobRunStatus>> StatusesAsync(IScheduler scheduler, List<JobKey> jobs, CancellationToken cancellationToken)
    {
        if (jobs.Count == 0)
        {
            return [];
        }

        var page = await history.QueryJobRunStatuses(
            new JobRunStatusQuery { SchedulerName = scheduler.SchedulerName, Jobs = jobs, Take = PagedQuery.All }, cancellationToken);
        return page.Items.ToDictionary(s => s.Job);
    }

    /// <summary>A job's summary; runs and failures are counted from the history, so they agree with it.</summary>
    private static JobSummary Summarize(
        JobHeader header, IReadOnlyList<TriggerHeader> triggers, JobRunStatus? status, (long Runs, long Failures) counts) => new(
        header.Key.Group,
        header.Key.Name,
        header.Description,
        header.JobTypeName,
        TriggerViews.JobState(triggers.Select(t => t.State)),
        triggers.Count,
        triggers.Where(t => t.NextFireTimeUtc is not null).Min(t => t.NextFireTimeUtc),
        status?.LastFiredAtUtc,
        status is null ? null : ResultName(status.LastResult),
        counts.Runs,
        counts.Failures);
}
