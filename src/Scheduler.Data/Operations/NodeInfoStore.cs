using Npgsql;

namespace Scheduler.Data.Operations;

/// <summary>Writes and reads <c>scheduler_node_info</c> (sql/0009): each node's version and process, by instance id.</summary>
public sealed class NodeInfoStore(NpgsqlDataSource dataSource)
{
    public async Task RecordAsync(NodeInfo node, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO scheduler_node_info (instance_name, version, host, process_id, started_at)
            VALUES (@name, @version, @host, @pid, @started)
            ON CONFLICT (instance_name) DO UPDATE
               SET version = excluded.version, host = excluded.host, process_id = excluded.process_id, started_at = excluded.started_at
            """);
        command.Parameters.AddWithValue("name", node.InstanceName);
        command.Parameters.AddWithValue("version", node.Version);
        command.Parameters.AddWithValue("host", node.Host);
        command.Parameters.AddWithValue("pid", node.ProcessId);
        command.Parameters.AddWithValue("started", node.StartedAt.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// How long since any node of <paramref name="schedulerName"/> last checked in (<c>qrtz_scheduler_state</c>), by the database's
    /// clock; null when no node ever did (a new database).
    /// </summary>
    public async Task<TimeSpan?> SilenceAsync(string schedulerName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT now() - scheduler_ticks_to_timestamptz(max(last_checkin_time))
            FROM qrtz_scheduler_state WHERE sched_name = @sched
            """);
        command.Parameters.AddWithValue("sched", schedulerName);
        return await command.ExecuteScalarAsync(cancellationToken) is TimeSpan silence ? silence : null;
    }

    public async Task<IReadOnlyDictionary<string, NodeInfo>> ReadAllAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT instance_name, version, host, process_id, started_at FROM scheduler_node_info");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var nodes = new Dictionary<string, NodeInfo>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var node = new NodeInfo(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.GetFieldValue<DateTimeOffset>(4));
            nodes[node.InstanceName] = node;
        }

        return nodes;
    }
}
