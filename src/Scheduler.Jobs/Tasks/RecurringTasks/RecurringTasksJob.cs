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
        SELECT coalesce((SELECT max(id) FROM done), 0), (SELECT count(*) FROM done), (SELECT count(*) FROM opened), (SELECT count(*) FROM rooted)
        """;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var now = SampleJobSettings.Now(context);
        var batchSize = SampleJobSettings.BatchSize(context);
        long after = 0, seen = 0, opened = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(Batch, connection, transaction);
            command.Parameters.AddWithValue("now", now);
            command.Parameters.AddWithValue("after", after);
            command.Parameters.AddWithValue("batch", batchSize);
            long last, count, created;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (last, count, created) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            await transaction.CommitAsync(cancellationToken);
            if (count == 0)
            {
                break;
            }

            (after, seen, opened) = (last, seen + count, opened + created);
            context.ReportProgress(50, string.Create(CultureInfo.InvariantCulture, $"{seen} completed recurring tasks checked"));
        }

        context.ReportProgress(100, "done");
        context.Result = JobRunReport.Succeeded(string.Create(CultureInfo.InvariantCulture,
            $"recurring: {seen} completed recurring tasks checked, {opened} next occurrences opened")).With("opened", opened);
    }
}
