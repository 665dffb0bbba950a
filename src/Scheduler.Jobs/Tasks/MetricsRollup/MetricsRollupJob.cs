using System.Globalization;
using Npgsql;
using Quartz;

namespace Scheduler.Jobs.Tasks.MetricsRollup;

/// <summary>
/// Every 15 minutes: counts tasks per status into the 15-minute bucket the occurrence falls in. An upsert, so a re-run
/// of the same bucket replaces its counts rather than adding to them.
/// </summary>
public sealed class MetricsRollupJob(NpgsqlDataSource dataSource) : IJob
{
    private const string Rollup =
        """
        INSERT INTO sample.task_metrics_15m (bucket_start, status, task_count)
        SELECT @bucket, s.status, count(t.id)
        FROM (VALUES ('open'), ('in_progress'), ('overdue'), ('done')) AS s(status)
        LEFT JOIN sample.tasks t ON t.status = s.status
        GROUP BY s.status
        ON CONFLICT (bucket_start, status) DO UPDATE SET task_count = excluded.task_count, computed_at = now()
        """;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = SampleJobSettings.Now(context).ToUniversalTime();
        var bucket = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute / 15 * 15, 0, TimeSpan.Zero);
        await using var command = dataSource.CreateCommand(Rollup);
        command.Parameters.AddWithValue("bucket", bucket);
        var rows = await command.ExecuteNonQueryAsync(cancellationToken);
        context.ReportProgress(100, "done");
        context.Result = JobRunReport.Succeeded(string.Create(CultureInfo.InvariantCulture,
            $"metrics: {rows} status counts for the bucket {bucket:yyyy-MM-dd HH:mm}Z")).With("rows", rows);
    }
}
