using System.Globalization;
using Npgsql;
using Quartz;

namespace Scheduler.Jobs.Tasks.RecurringTasks;

/// <summary>
/// Hourly: for each completed task that recurs, opens its next occurrence (due one interval later) unless it exists —
/// one per series and due date (unique index), in batches. Re-runs open nothing new.
/// </summary>
public sealed class RecurringTasksJob(NpgsqlDataSource dataSource) : IJob
{
    private const string Batch =
        """
        WITH done AS (
            SELECT t.id, t.user_id, t.title, t.due_at, t.recurrence_interval, coalesce(t.series_id, t.id) AS series
            FROM sample.tasks t
            WHERE t.status = 'done' AND t.recurrence_interval IS NOT NULL AND t.due_at IS NOT NULL AND t.id > @after
              AND t.due_at <= @now
            ORDER BY t.id LIMIT @batch),
        opened AS (
            INSERT INTO sample.tasks (user_id, title, status, due_at, recurrence_interval, series_id)
            SELECT user_id, title, 'open', due_at + recurrence_interval, recurrence_interval, series FROM done
            ON CONFLICT (series_id, due_at) WHERE series_id IS NOT NULL DO NOTHING
            RETURNING 1),
        rooted AS (
            UPDATE sample.tasks t SET series_id = t.id FROM done d WHERE t.id = d.id AND t.series_id IS NULL RETURNING 1)
        SELECT coalesce((SELECT max(id) FROM done), 0), (SELECT count(*) FROM done), (SELECT count(*) FROM opened)
        """;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = SampleJobSettings.Now(context);
        var (seen, opened, _) = await BatchLoop.RunAsync(
            dataSource, Batch, SampleJobSettings.BatchSize(context), p => p.AddWithValue("now", now),
            done => context.ReportProgress(50, string.Create(CultureInfo.InvariantCulture, $"{done} completed recurring tasks checked")),
            cancellationToken);

        context.ReportProgress(100, "done");
        context.Result = JobRunReport.Succeeded(string.Create(CultureInfo.InvariantCulture,
            $"recurring: {seen} completed recurring tasks checked, {opened} next occurrences opened")).With("opened", opened);
    }
}
