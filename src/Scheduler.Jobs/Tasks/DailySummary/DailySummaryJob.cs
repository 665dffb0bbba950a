using System.Globalization;
using Npgsql;
using Quartz;
using Scheduler.Core.Schedules;

namespace Scheduler.Jobs.Tasks.DailySummary;

/// <summary>
/// Daily at 09:00 in a configured zone: one summary per user (open and overdue counts) dated the occurrence's local
/// date in that zone — DST-correct because the date comes from the scheduled fire time, not the wall clock. Never two
/// summaries for one user and date (unique index). Job data: <c>timeZone</c> (IANA, default UTC), <c>batchSize</c>.
/// </summary>
public sealed class DailySummaryJob(NpgsqlDataSource dataSource) : IJob
{
    /// <summary>Job data key: the IANA zone whose local date the summary is for.</summary>
    public const string TimeZoneKey = "timeZone";

    private const string Batch =
        """
        WITH users AS (SELECT id FROM sample.users WHERE id > @after ORDER BY id LIMIT @batch),
        queued AS (
            INSERT INTO sample.notifications_outbox (user_id, kind, summary_date, payload)
            SELECT u.id, 'daily_summary', @date,
                   jsonb_build_object(
                       'open', (SELECT count(*) FROM sample.tasks t WHERE t.user_id = u.id AND t.status IN ('open', 'in_progress')),
                       'overdue', (SELECT count(*) FROM sample.tasks t WHERE t.user_id = u.id AND t.status = 'overdue'))
            FROM users u
            ON CONFLICT DO NOTHING
            RETURNING 1)
        SELECT coalesce((SELECT max(id) FROM users), 0), (SELECT count(*) FROM users), (SELECT count(*) FROM queued)
        """;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var zoneId = context.MergedJobDataMap.TryGetValue(TimeZoneKey, out var z) && z is not null
            ? Convert.ToString(z, CultureInfo.InvariantCulture)! : "UTC";
        var zone = ScheduleCompiler.FindZone(zoneId)
            ?? throw new JobExecutionException($"{context.JobDetail.Key}: job data '{TimeZoneKey}' = '{zoneId}' is not a known IANA time zone.");
        var date = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(SampleJobSettings.Now(context), zone).DateTime);
        var (users, queued, _) = await BatchLoop.RunAsync(
            dataSource, Batch, SampleJobSettings.BatchSize(context), p => p.AddWithValue("date", date),
            done => context.ReportProgress(50, string.Create(CultureInfo.InvariantCulture, $"{done} users summarised")),
            cancellationToken);

        context.ReportProgress(100, "done");
        context.Result = JobRunReport.Succeeded(string.Create(CultureInfo.InvariantCulture,
            $"daily summary for {date:yyyy-MM-dd} ({zoneId}): {queued} summaries enqueued for {users} users")).With("enqueued", queued);
    }
}
