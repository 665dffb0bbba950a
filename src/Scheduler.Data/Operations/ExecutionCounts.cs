using Npgsql;

namespace Scheduler.Data.Operations;

/// <summary>
/// Runs and failed runs per job, counted from the execution history (<c>qrtz_execution_history</c>, within its retention):
/// the numbers an operator can check row by row. Quartz's own per-job counters leave out failures it retried itself, so
/// they disagreed with the history under a retry policy. Also the dashboard's failures grouped by job and error.
/// </summary>
public sealed class ExecutionCounts(NpgsqlDataSource dataSource)
{
    /// <summary>(runs, failures) of each job in <paramref name="jobs"/> that has history; a job without history is absent.</summary>
    public async Task<Dictionary<(string Group, string Name), (long Runs, long Failures)>> CountAsync(
        string schedulerName, IReadOnlyCollection<(string Group, string Name)> jobs, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<(string, string), (long, long)>();
        if (jobs.Count == 0)
        {
            return counts;
        }

        await using var command = dataSource.CreateCommand(
            """
            SELECT h.job_group, h.job_name, count(*),
                   count(*) FILTER (WHERE coalesce(h.result, CASE WHEN h.succeeded THEN 0 ELSE 1 END) = 1)
            FROM qrtz_execution_history h
            JOIN unnest(@groups, @names) AS j(job_group, job_name) USING (job_group, job_name)
            WHERE h.sched_name = @sched
            GROUP BY h.job_group, h.job_name
            """);
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("groups", jobs.Select(j => j.Group).ToArray());
        command.Parameters.AddWithValue("names", jobs.Select(j => j.Name).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[(reader.GetString(0), reader.GetString(1))] = (reader.GetInt64(2), reader.GetInt64(3));
        }

        return counts;
    }

    /// <summary>
    /// Failed executions fired since <paramref name="since"/>, grouped by job and error message, newest group first, at most
    /// <paramref name="take"/> groups. An execution that failed without a message counts under the empty message.
    /// </summary>
    public async Task<IReadOnlyList<FailureGroup>> FailureGroupsAsync(
        string schedulerName, DateTimeOffset since, int take, CancellationToken cancellationToken)
    {
        // The predicate of idx_qrtz_eh_failed (sql/0014), so only failed rows of the window are read.
        await using var command = dataSource.CreateCommand(
            """
            SELECT job_group, job_name, coalesce(error_message, ''), count(*), min(fired_time), max(fired_time),
                   (array_agg(entry_id ORDER BY fired_time DESC))[1]
            FROM qrtz_execution_history
            WHERE sched_name = @sched AND fired_time >= @since AND (result = 1 OR (result IS NULL AND NOT succeeded))
            GROUP BY job_group, job_name, coalesce(error_message, '')
            ORDER BY max(fired_time) DESC, job_group, job_name
            LIMIT @take
            """);
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("since", since.UtcTicks);
        command.Parameters.AddWithValue("take", take);
        var groups = new List<FailureGroup>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(new FailureGroup(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero), new DateTimeOffset(reader.GetInt64(5), TimeSpan.Zero), reader.GetString(6)));
        }

        return groups;
    }
}
