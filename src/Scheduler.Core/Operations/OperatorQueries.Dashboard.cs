using Scheduler.Data.Operations;

namespace Scheduler.Core.Operations;

public sealed partial class OperatorQueries
{
    /// <summary>
    /// Runs and failures of every job (or of <paramref name="job"/>) per <paramref name="bucket"/> of fire time in
    /// [<paramref name="from"/>, <paramref name="before"/>), oldest first, from Quartz's execution statistics. A bucket with no run is absent.
    /// </summary>
    public async Task<IReadOnlyList<RunBucket>> RunsOverTimeAsync(
        DateTimeOffset from, DateTimeOffset before, TimeSpan bucket, CancellationToken cancellationToken, global::Quartz.JobKey? job = null)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var statistics = await history.QueryExecutionStatistics(new global::Quartz.ExecutionStatisticsQuery
        {
            SchedulerName = scheduler.SchedulerName,
            Job = job,
            FiredFrom = from,
            FiredBefore = before,
            BucketSize = bucket,
        }, cancellationToken);
        return statistics.Buckets.Select(b => new RunBucket(b.StartUtc, b.RunCount, b.FailedCount)).ToList();
    }

    /// <summary>Failed executions fired since <paramref name="since"/>, grouped by job and error message, newest group first.</summary>
    public async Task<IReadOnlyList<FailureGroup>> FailureGroupsAsync(DateTimeOffset since, int take, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        return await executionCounts.FailureGroupsAsync(scheduler.SchedulerName, since, take, cancellationToken);
    }
}
