using Quartz;
using Scheduler.Core.Operations;

namespace Scheduler.Web.Dashboard.Pages;

/// <summary>What <see cref="JobPage"/> shows: the job, its last 24 hours in numbers and its recent executions.</summary>
public sealed record JobModel(JobKey Key, JobDetailView Job, JobStatistics Statistics, IReadOnlyList<ExecutionView> Recent)
{
    public const int RecentCount = 30;

    /// <exception cref="OperatorException">No such job (NotFound).</exception>
    public static async Task<JobModel> LoadAsync(OperatorQueries q, JobKey key, CancellationToken ct)
    {
        var job = await q.JobAsync(key, ct);
        var executions = await q.ExecutionsAsync(new ExecutionFilter(key, null, null, null, null, 0, RecentCount), ct);
        var statistics = await q.StatisticsAsync(key, TimeSpan.FromHours(24), ct);
        return new JobModel(key, job, statistics, executions.Items);
    }

    /// <summary>The job's page, the prefix of its action forms.</summary>
    public string Path => $"/jobs/{Uri.EscapeDataString(Key.Group)}/{Uri.EscapeDataString(Key.Name)}";
}
