using System.Globalization;
using Npgsql;
using Quartz;
using Scheduler.Core.Fencing;

namespace Scheduler.Jobs.Tasks.ArchiveCompleted;

/// <summary>
/// Weekly: moves tasks completed more than <c>olderThanDays</c> (default 30) before the occurrence into
/// <c>sample.tasks_archive</c>, in batches. Auditable — one <c>sample.archive_runs</c> row per occurrence (who, when,
/// cut-off, how many) — and reversible: <c>SELECT sample.restore_archive_run(id)</c> puts a run's tasks back. A re-run of
/// the same occurrence continues the same run rather than starting another.
/// </summary>
public sealed class ArchiveCompletedJob(NpgsqlDataSource dataSource) : IJob
{
    /// <summary>Job data key: how old a completed task must be to be archived, in days (default 30).</summary>
    public const string OlderThanDaysKey = "olderThanDays";

    private const string StartRun =
        """
        INSERT INTO sample.archive_runs (occurrence_key, run_by, cutoff) VALUES (@key, @node, @cutoff)
        ON CONFLICT (occurrence_key) DO UPDATE SET finished_at = NULL
        RETURNING id
        """;

    private const string Batch =
        """
        WITH picked AS (
            SELECT id FROM sample.tasks WHERE status = 'done' AND completed_at < @cutoff ORDER BY id LIMIT @batch FOR UPDATE SKIP LOCKED),
        moved AS (
            DELETE FROM sample.tasks t USING picked p WHERE t.id = p.id
            RETURNING t.id, t.user_id, t.title, t.status, t.due_at, t.completed_at, t.recurrence_interval, t.series_id, t.created_at),
        archived AS (
            INSERT INTO sample.tasks_archive (id, user_id, title, status, due_at, completed_at, recurrence_interval, series_id, created_at, archive_run_id)
            SELECT id, user_id, title, status, due_at, completed_at, recurrence_interval, series_id, created_at, @run FROM moved
            RETURNING 1),
        counted AS (
            UPDATE sample.archive_runs SET tasks_archived = tasks_archived + (SELECT count(*) FROM archived) WHERE id = @run RETURNING 1)
        SELECT 0::bigint, (SELECT count(*) FROM archived), (SELECT count(*) FROM archived)
        """;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var days = SampleJobSettings.WholeNumber(context, OlderThanDaysKey, 30, 1, 3650);
        var cutoff = SampleJobSettings.Now(context).AddDays(-days);
        var batchSize = SampleJobSettings.BatchSize(context);
        var occurrence = FencedOccurrence.Current?.Key ?? OccurrenceKey.For(context);
        long runId;
        await using (var start = dataSource.CreateCommand(StartRun))
        {
            start.Parameters.AddWithValue("key", occurrence.IdempotencyKey);
            start.Parameters.AddWithValue("node", context.Scheduler.SchedulerInstanceId);
            start.Parameters.AddWithValue("cutoff", cutoff);
            runId = (long)(await start.ExecuteScalarAsync(cancellationToken))!;
        }

        var (archived, _, _) = await BatchLoop.RunAsync(
            dataSource, Batch, batchSize, p => { p.AddWithValue("cutoff", cutoff); p.AddWithValue("run", runId); },
            done => context.ReportProgress(50, string.Create(CultureInfo.InvariantCulture, $"{done} tasks archived so far")),
            cancellationToken);

        await using (var finish = dataSource.CreateCommand("UPDATE sample.archive_runs SET finished_at = now() WHERE id = @run"))
        {
            finish.Parameters.AddWithValue("run", runId);
            await finish.ExecuteNonQueryAsync(cancellationToken);
        }

        context.ReportProgress(100, "done");
        context.Result = JobRunReport.Succeeded(string.Create(CultureInfo.InvariantCulture,
            $"archive run {runId}: {archived} tasks completed before {cutoff:yyyy-MM-dd} archived; undo with SELECT sample.restore_archive_run({runId})"))
            .With("run", runId).With("archived", archived);
    }
}
