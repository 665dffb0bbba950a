using Quartz;
using Scheduler.Data.Operations;

namespace Scheduler.Core.Operations;

public sealed partial class OperatorQueries
{
    /// <summary>Executions, newest first, narrowed by <paramref name="filter"/>; one page.</summary>
    public async Task<Page<ExecutionView>> ExecutionsAsync(ExecutionFilter filter, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var page = await history.QueryExecutions(new ExecutionHistoryQuery
        {
            SchedulerName = scheduler.SchedulerName,
            SchedulerInstanceId = filter.Node,
            Job = filter.Job,
            Results = filter.Results,
            FiredFrom = filter.From,
            FiredBefore = filter.Before,
            Skip = filter.Skip,
            Take = filter.Take,
        }, cancellationToken);
        return new Page<ExecutionView>(page.Items.Select(e => View(e, withLog: false)).ToList(), filter.Skip, filter.Take, page.HasMore, null);
    }

    /// <summary>One execution with its captured log.</summary>
    /// <exception cref="OperatorException">No such entry, or it was trimmed (NotFound).</exception>
    public async Task<ExecutionView> ExecutionAsync(string entryId, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var entry = await history.GetExecution(scheduler.SchedulerName, entryId, cancellationToken)
            ?? throw OperatorException.NotFound($"No execution '{entryId}' (never recorded, or trimmed by retention).");
        return View(entry, withLog: true);
    }

    /// <summary>Misfires, newest first, optionally of one job; one page.</summary>
    public async Task<Page<MisfireView>> MisfiresAsync(JobKey? job, int skip, int take, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var page = await history.QueryMisfires(
            new MisfireHistoryQuery { SchedulerName = scheduler.SchedulerName, Job = job, Skip = skip, Take = take }, cancellationToken);
        return new Page<MisfireView>(
            page.Items.Select(m => new MisfireView(m.TriggerGroup, m.TriggerName, m.JobKey?.Group, m.JobKey?.Name, m.SchedulerInstanceId,
                m.MisfiredAtUtc, m.ScheduledFireTimeUtc, m.Reason.ToString())).ToList(),
            skip, take, page.HasMore, null);
    }

    /// <summary>Counts, success rate, duration and lateness percentiles of one job's runs fired within the last <paramref name="window"/>.</summary>
    /// <exception cref="OperatorException">The job neither exists nor has history (NotFound).</exception>
    public async Task<JobStatistics> StatisticsAsync(JobKey job, TimeSpan window, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var to = clock.GetUtcNow();
        var from = to - window;
        // One bucket wider than any window we accept, so its percentiles are over every run in the window.
        var statistics = await history.QueryExecutionStatistics(new ExecutionStatisticsQuery
        {
            SchedulerName = scheduler.SchedulerName,
            Job = job,
            FiredFrom = from,
            FiredBefore = to,
            BucketSize = TimeSpan.FromDays(36_500),
        }, cancellationToken);
        var buckets = statistics.Buckets;
        var runs = buckets.Sum(b => b.RunCount);
        var succeeded = buckets.Sum(b => b.SucceededCount);
        var skipped = buckets.Sum(b => b.SkippedCount);
        var single = buckets.Count == 1 ? buckets[0] : null;
        if (runs == 0 && await scheduler.GetJobDetail(job, cancellationToken) is null)
        {
            // A deleted job keeps its statistics while its history lasts; a name nothing knows is a typo.
            throw OperatorException.NotFound($"No job '{job}', and no history of one.");
        }

        var lateness = await occurrences.LatenessAsync(scheduler.SchedulerName, job.Group, job.Name, from, to, cancellationToken);
        return new JobStatistics(
            job.Group, job.Name, from, to, runs, succeeded, buckets.Sum(b => b.FailedCount), buckets.Sum(b => b.CancelledCount), skipped,
            runs == 0 ? null : Math.Round((double)(succeeded + skipped) / runs, 4),
            single?.P50Duration.TotalMilliseconds,
            single?.P95Duration.TotalMilliseconds,
            buckets.Count == 0 ? null : buckets.Max(b => b.MaxDuration).TotalMilliseconds,
            lateness);
    }

    /// <summary>
    /// Occurrences in the ledger, newest scheduled first, optionally scheduled since <paramref name="since"/>; <paramref name="state"/>
    /// <c>failed</c> and <c>dead</c> list what can be replayed, and dead letters come with their last attempt's log.
    /// </summary>
    public async Task<IReadOnlyList<OccurrenceRecord>> OccurrencesAsync(
        string? state, JobKey? job, int skip, int take, CancellationToken cancellationToken, DateTimeOffset? since = null)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        return await occurrences.ListAsync(scheduler.SchedulerName, state, job?.Group, job?.Name, since, null, skip, take,
            withLog: state == "dead", cancellationToken);
    }

    private static ExecutionView View(ExecutionHistoryEntry e, bool withLog) => new(
        e.EntryId, e.JobGroup, e.JobName, e.TriggerGroup, e.TriggerName, e.SchedulerInstanceId, e.FiredAtUtc,
        Math.Round(e.Duration.TotalMilliseconds, 1), ResultName(e.EffectiveResult), e.ExceptionMessage, e.Summary,
        e.RetryAttempt, e.RetryScheduled, e.Manual, e.FireInstanceId, withLog ? e.Log : null);
}
