using Npgsql;
using NpgsqlTypes;

namespace Scheduler.Data.Operations;

/// <summary>Appends to and reads <c>scheduler_audit</c> (sql/0009). Rows are never changed once written.</summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    /// <summary>Writes <paramref name="entry"/>; a failure reaches the caller, so an action is never reported done without its record.</summary>
    public async Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO scheduler_audit (actor, role, action, target, reason, detail, source, node, outcome)
            VALUES (@actor, @role, @action, @target, @reason, @detail, @source, @node, @outcome)
            RETURNING id
            """);
        command.Parameters.AddWithValue("actor", entry.Actor);
        command.Parameters.AddWithValue("role", entry.Role);
        command.Parameters.AddWithValue("action", entry.Action);
        command.Parameters.AddWithValue("target", entry.Target);
        command.Parameters.AddWithValue("reason", (object?)entry.Reason ?? DBNull.Value);
        command.Parameters.Add(new NpgsqlParameter("detail", NpgsqlDbType.Jsonb)
        {
            Value = entry.Detail is { } detail ? detail.GetRawText() : DBNull.Value,
        });
        command.Parameters.AddWithValue("source", entry.Source);
        command.Parameters.AddWithValue("node", entry.Node);
        command.Parameters.AddWithValue("outcome", entry.Outcome);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>One page of the audit, newest first, optionally narrowed to a target containing <paramref name="targetContains"/> or one actor.</summary>
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(
        string? targetContains, string? actor, DateTimeOffset? since, int skip, int take, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT id, at, actor, role, action, target, reason, detail::text, source, node, outcome
            FROM scheduler_audit
            WHERE (@target::text IS NULL OR strpos(target, @target) > 0)
              AND (@actor::text IS NULL OR actor = @actor)
              AND (@since::timestamptz IS NULL OR at >= @since)
            ORDER BY id DESC
            OFFSET @skip LIMIT @take
            """);
        command.Parameters.Add(new NpgsqlParameter("target", NpgsqlDbType.Text) { Value = (object?)targetContains ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("actor", NpgsqlDbType.Text) { Value = (object?)actor ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("since", NpgsqlDbType.TimestampTz) { Value = (object?)since?.ToUniversalTime() ?? DBNull.Value });
        command.Parameters.AddWithValue("skip", skip);
        command.Parameters.AddWithValue("take", take);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AuditEntry(
                reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : System.Text.Json.JsonDocument.Parse(reader.GetString(7)).RootElement.Clone(),
                reader.GetString(8), reader.GetString(9), reader.GetString(10))
            {
                Id = reader.GetInt64(0),
                At = reader.GetFieldValue<DateTimeOffset>(1),
            });
        }

        return rows;
    }
}
