using Npgsql;
using NpgsqlTypes;

namespace Scheduler.Data.Operations;

/// <summary>Reads the occurrence ledger for the operator surface: failed and dead occurrences to replay, and lateness statistics.</summary>
public sealed class OccurrenceQueries(NpgsqlDataSource dataSource)
{
    private const string Columns =
        "job_group, job_name, trigger_group, trigger_name, scheduled_fire_time, state, claimed_by, claimed_at, completed_at, attempts, " +
        "duplicates_suppressed, last_error, retry_at";

    /// <summary>
    /// Occurrences in <paramref name="state"/> (any when null), newest scheduled first, optionally of one job and scheduled in
    /// [<paramref name="from"/>, <paramref name="before"/>). <paramref name="withLog"/> adds what the last attempt logged
    /// (from its execution history row), as dead letters show it.
    /// </summary>
    public async Task<IReadOnlyList<OccurrenceRecord>> ListAsync(
        string schedulerName, string? state, string? jobGroup, string? jobName, DateTimeOffset? from, DateTimeOffset? before,
        int skip, int take, bool withLog, CancellationToken cancellationToken)
    {
        // Only the filters given, from fixed fragments: "@x IS NULL OR col = @x" would keep a prepared (generic) plan from
        // using idx_scheduler_occurrences_open / _job (sql/0014), and at 10 M rows that is a scan of the ledger.
        var where = "sched_name = @sched"
                    + (state is null ? "" : " AND state = @state")
                    + (jobGroup is null ? "" : " AND job_group = @jg")
                    + (jobName is null ? "" : " AND job_name = @jn")
                    + (from is null ? "" : " AND scheduled_fire_time >= @from")
                    + (before is null ? "" : " AND scheduled_fire_time < @before");
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns}, {(withLog
                ? "(SELECT h.execution_log FROM qrtz_execution_history h WHERE h.sched_name = o.sched_name AND h.fire_instance_id = o.fire_instance_id LIMIT 1)"
                : "NULL::text")}
            FROM scheduler_occurrences o
            WHERE {where}
            ORDER BY scheduled_fire_time DESC, job_group, job_name, trigger_group, trigger_name
            OFFSET @skip LIMIT @take
            """);
        command.Parameters.AddWithValue("sched", schedulerName);
        foreach (var (name, value) in new[] { ("state", state), ("jg", jobGroup), ("jn", jobName) })
        {
            if (value is not null)
            {
                AddText(command, name, value);
            }
        }

        if (from is not null)
        {
            AddInstant(command, "from", from);
        }

        if (before is not null)
        {
            AddInstant(command, "before", before);
        }

        command.Parameters.AddWithValue("skip", skip);
        command.Parameters.AddWithValue("take", take);
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>The occurrence with this key, or null when the ledger has none (never run, or pruned).</summary>
    public async Task<OccurrenceRecord?> FindAsync(
        string schedulerName, string jobGroup, string jobName, string triggerGroup, string triggerName, DateTimeOffset scheduledFireTime,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            SELECT {Columns}, NULL::text FROM scheduler_occurrences
            WHERE sched_name = @sched AND job_group = @jg AND job_name = @jn AND trigger_group = @tg AND trigger_name = @tn
              AND scheduled_fire_time = @at
            """);
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("jg", jobGroup);
        command.Parameters.AddWithValue("jn", jobName);
        command.Parameters.AddWithValue("tg", triggerGroup);
        command.Parameters.AddWithValue("tn", triggerName);
        command.Parameters.AddWithValue("at", scheduledFireTime.ToUniversalTime());
        var rows = await ReadAsync(command, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <summary>Claim lateness (claimed_at − scheduled_fire_time) of one job's occurrences scheduled in [from, before).</summary>
    public async Task<LatenessSummary> LatenessAsync(
        string schedulerName, string jobGroup, string jobName, DateTimeOffset from, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH l AS (
                SELECT extract(epoch FROM claimed_at - scheduled_fire_time) * 1000 AS ms
                FROM scheduler_occurrences
                WHERE sched_name = @sched AND job_group = @jg AND job_name = @jn
                  AND scheduled_fire_time >= @from AND scheduled_fire_time < @before)
            SELECT count(*),
                   percentile_cont(0.50) WITHIN GROUP (ORDER BY ms),
                   percentile_cont(0.95) WITHIN GROUP (ORDER BY ms),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY ms),
                   max(ms)::float8
            FROM l
            """);
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("jg", jobGroup);
        command.Parameters.AddWithValue("jn", jobName);
        command.Parameters.AddWithValue("from", from.ToUniversalTime());
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LatenessSummary(reader.GetInt64(0), Nullable(reader, 1), Nullable(reader, 2), Nullable(reader, 3), Nullable(reader, 4));
    }

    private static double? Nullable(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Math.Round(reader.GetDouble(ordinal), 1);

    private static void AddText(NpgsqlCommand command, string name, string? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });

    private static void AddInstant(NpgsqlCommand command, string name, DateTimeOffset? value) =>
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.TimestampTz) { Value = (object?)value?.ToUniversalTime() ?? DBNull.Value });

    private static async Task<IReadOnlyList<OccurrenceRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<OccurrenceRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OccurrenceRecord(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8), reader.GetInt32(9), reader.GetInt32(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12),
                reader.IsDBNull(13) ? null : reader.GetString(13)));
        }

        return rows;
    }
}
