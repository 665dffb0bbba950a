using System.Globalization;
using Npgsql;
using Quartz;

namespace Scheduler.Jobs.Tasks.OverdueReminders;

/// <summary>
/// Hourly: marks open tasks past their due time overdue and enqueues one reminder per task in the outbox, in batches,
/// one transaction each. Never two reminders for the same task and due date (unique index), so re-runs are no-ops.
/// </summary>
public sealed class OverdueRemindersJob(NpgsqlDataSource dataSource) : IJob
{
    private const string Batch =
        """
        WITH batch AS (
            SELECT id FROM sample.tasks
            WHERE status IN ('open', 'in_progress') AND due_at < @now
            ORDER BY id LIMIT @batch FOR UPDATE SKIP LOCKED),
        marked AS (
            UPDATE sample.tasks t SET status = 'overdue' FROM batch b WHERE t.id = b.id
            RETURNING t.id, t.user_id, t.due_at, t.title),
        queued AS (
            INSERT INTO sample.notifications_outbox (user_id, task_id, kind, due_at, payload)
            SELECT user_id, id, 'reminder', due_at, jsonb_build_object('task', id, 'title', title) FROM marked
            ON CONFLICT DO NOTHING
            RETURNING 1)
        SELECT 0::bigint, (SELECT count(*) FROM marked), (SELECT count(*) FROM queued)
        """;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = SampleJobSettings.Now(context);
        var (marked, queued, batches) = await BatchLoop.RunAsync(
            dataSource, Batch, SampleJobSettings.BatchSize(context), p => p.AddWithValue("now", now),
            done => context.ReportProgress(50, string.Create(CultureInfo.InvariantCulture, $"{done} tasks marked overdue so far")),
            cancellationToken);

        context.ReportProgress(100, "done");
        context.Result = JobRunReport.Succeeded(string.Create(CultureInfo.InvariantCulture,
            $"reminders: {marked} tasks marked overdue, {queued} reminders enqueued in {batches} batches"))
            .With("marked", marked).With("enqueued", queued);
    }
}
