using Npgsql;

namespace Scheduler.Data.Health;

/// <summary>
/// Asks PostgreSQL whether a node could write now: whether new transactions are read-only (<c>default_transaction_read_only</c>,
/// a standby, a failover in progress) and whether the server is at its connection limit.
/// </summary>
public sealed class DatabaseWriteProbe(NpgsqlDataSource dataSource)
{
    private const string Sql =
        """
        SELECT current_setting('transaction_read_only') = 'on',
               pg_is_in_recovery(),
               (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'),
               current_setting('max_connections')::int
        """;

    /// <summary>Why writes would fail now, or null when they would not.</summary>
    /// <exception cref="NpgsqlException">The database cannot be reached, except for the connection limit, which is a reason.</exception>
    public async Task<string?> WhyNotWritableAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand(Sql);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var (readOnly, recovery, connections, max) = (reader.GetBoolean(0), reader.GetBoolean(1), reader.GetInt64(2), reader.GetInt32(3));
            return recovery ? "PostgreSQL is a standby (in recovery): read-only"
                : readOnly ? "PostgreSQL is read-only (default_transaction_read_only)"
                : connections >= max ? $"PostgreSQL is at its connection limit ({connections} of max_connections {max})"
                : null;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.TooManyConnections)
        {
            return "PostgreSQL refuses new connections: max_connections reached (53300)";
        }
    }
}
