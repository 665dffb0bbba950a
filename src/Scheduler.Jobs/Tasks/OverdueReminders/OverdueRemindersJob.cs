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
        SELECT (SELECT count(*) FROM marked), (SELECT count(*) FROM queued)
        """;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = SampleJobSettings.Now(context);
        var batchSize = SampleJobSettings.BatchSize(context);
        long marked = 0, queued = 0, batches = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(Batch, connection, transaction);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("batch", batchSize);
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                var (m, q) = (reader.GetInt64(0), reader.GetInt64(1));
                await reader.CloseAsync();
                await transaction.CommitAsync(cancellationToken);
                if (m == 0)
                {
                    break;
                }

                (marked, queued, batches) = (marked + m, queued + q, batches + 1);
            }

            context.ReportProgress(50, string.Create(CultureInfo.InvariantCulture, $"{marked} tasks marked overdue so far"));
        }

        context.ReportProgress(100, "done");
        context.Result = JobRunReport.Succeeded(string.Create(CultureInfo.InvariantCulture,
            $"reminders: {marked} tasks marked overdue, {queued} reminders enqueued in {batches} batches"))
            .With("marked", marked).With("enqueued", queued);
    }
}
