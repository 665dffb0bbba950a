using Npgsql;

namespace Scheduler.Data.Failover;

/// <summary>
/// The node locks that let survivors learn of a dead node from PostgreSQL itself: each node holds a session-level advisory
/// lock keyed on its instance id on a dedicated connection, and PostgreSQL drops it the moment that session ends (a killed
/// process's sockets close with it). Peers wait for it with <c>pg_advisory_lock_shared</c>, which costs nothing while it waits.
/// The lock session and the waits use connections of their own (<paramref name="dataSource"/>, unpooled), so they never take
/// the connections firing needs; the short reads and the update use the node's pool (<paramref name="pool"/>).
/// </summary>
/// <remarks>Session locks need a session: behind a pooler in transaction mode (PgBouncer) they do not work; turn the feature off there.</remarks>
public sealed class NodeLocks(NpgsqlDataSource dataSource, NpgsqlDataSource pool) : IAsyncDisposable
{
    private const int TryHoldAttempts = 5;
    private static readonly TimeSpan TryHoldPause = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Opens a dedicated session and takes this node's lock on it; null (and the session closed) when another session holds
    /// it, which means another process runs with the same instance id.
    /// </summary>
    public async Task<NodeLockSession?> TryHoldAsync(string schedulerName, string instanceId, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken);
        try
        {
            await using var command = Command(connection, NodeLockSql.TryHold, schedulerName, instanceId);
            // A peer that has just been woken holds the lock shared for an instant: only a lock still held after a few tries is another process's.
            for (var attempt = 1; attempt <= TryHoldAttempts; attempt++)
            {
                if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                {
                    return new NodeLockSession(connection);
                }

                await Task.Delay(TryHoldPause, cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var settings = new NpgsqlCommand(NodeLockSql.SessionSettings, connection);
            await settings.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The peers (rows of <c>qrtz_scheduler_state</c> other than <paramref name="self"/>) whose lock is held now: the ones worth waiting on.</summary>
    public async Task<IReadOnlyList<string>> WatchablePeersAsync(string schedulerName, string self, CancellationToken cancellationToken)
    {
        await using var command = pool.CreateCommand(
            $"""
            SELECT s.instance_name FROM qrtz_scheduler_state s
             WHERE s.sched_name = @sched AND s.instance_name <> @self
               AND {NodeLockSql.Held("hashtextextended('scheduler-node:' || s.sched_name || ':' || s.instance_name, 0)")}
             ORDER BY 1
            """);
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("self", self);
        var peers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            peers.Add(reader.GetString(0));
        }

        return peers;
    }

    /// <summary>Returns when nobody holds <paramref name="peer"/>'s lock any more; throws when this connection breaks (a server restart ends every wait this way, never as a release).</summary>
    public async Task WaitForReleaseAsync(string schedulerName, string peer, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, NodeLockSql.WaitForRelease, schedulerName, peer);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// How many sessions <paramref name="peer"/> still has, and whether its lock is held again. Its own waits on other nodes'
    /// locks are not counted: a backend blocked on a lock does not read its socket, so it outlives its client until the lock comes.
    /// </summary>
    public async Task<PeerPresence> InspectAsync(string schedulerName, string peer, CancellationToken cancellationToken)
    {
        await using var connection = await pool.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection,
            $"""
            SELECT (SELECT count(*) FROM pg_stat_activity
                     WHERE datname = current_database() AND application_name = left(@instance, 63) AND pid <> pg_backend_pid()
                       AND wait_event IS DISTINCT FROM 'advisory')::int,
                   {NodeLockSql.Held(NodeLockSql.Key)},
                   (SELECT last_checkin_time FROM qrtz_scheduler_state WHERE sched_name = @sched AND instance_name = @instance)
            """, schedulerName, peer);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new PeerPresence(reader.GetInt32(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
    }

    /// <summary>
    /// Sets <paramref name="peer"/>'s last check-in to 0 (0001-01-01), which every node's next check-in judges failed, so Quartz
    /// recovers it. Only while nobody holds its lock and its row has not checked in since <paramref name="seenCheckin"/>: a process
    /// that came back under the same id keeps its row. True when a row changed.
    /// </summary>
    public async Task<bool> MarkFailedAsync(string schedulerName, string peer, long seenCheckin, CancellationToken cancellationToken)
    {
        await using var connection = await pool.OpenConnectionAsync(cancellationToken);
        await using var command = Command(connection,
            $"""
            UPDATE qrtz_scheduler_state SET last_checkin_time = 0
             WHERE sched_name = @sched AND instance_name = @instance AND last_checkin_time <= @seen
               AND NOT {NodeLockSql.Held(NodeLockSql.Key)}
            """, schedulerName, peer);
        command.Parameters.AddWithValue("seen", seenCheckin);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, string schedulerName, string instanceId)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("instance", instanceId);
        return command;
    }
}
