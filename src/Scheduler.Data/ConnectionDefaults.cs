using Npgsql;

namespace Scheduler.Data;

/// <summary>
/// The Npgsql settings every connection of ours gets unless its connection string sets them: statements reused across
/// pooled connections instead of re-parsed and re-planned on each call.
/// </summary>
public static class ConnectionDefaults
{
    /// <summary>How many distinct statements Npgsql prepares per physical connection once it has seen them repeated.</summary>
    public const int MaxAutoPrepare = 32;

    /// <summary>
    /// Connections a node uses beyond its job threads and HTTP requests: cluster check-in and recovery, misfire handling,
    /// the history write-behind, ledger pruning, the audit writer and health checks.
    /// </summary>
    public const int SchedulerConnections = 6;

    /// <summary>
    /// The pool maximum of a node: one connection per Quartz job thread, one per HTTP request the node serves at once
    /// (<c>Scheduler:Web:MaxConcurrentRequests</c>, its concurrency limit), and <see cref="SchedulerConnections"/>. So
    /// the HTTP surface can never take the connections firing needs, and N nodes need N times this of <c>max_connections</c>.
    /// </summary>
    public static int PoolSize(int jobThreads, int httpRequests) => jobThreads + httpRequests + SchedulerConnections;

    /// <summary>
    /// Sets <c>No Reset On Close=true</c> and <c>Max Auto Prepare=32</c> on <paramref name="connection"/> unless it names them.
    /// </summary>
    /// <remarks>
    /// Measured in bench/ (docs/BENCHMARKS.md): every pooled connection handed back ran <c>DISCARD ALL</c>, which also threw
    /// away server-side prepared statements, so each of Quartz's few dozen statements was parsed and planned on every call.
    /// Nothing of ours leaves session state behind (advisory locks are released in <c>finally</c>), so the reset is skipped
    /// and Npgsql prepares what it sees repeatedly. A connection string that sets either key wins.
    /// </remarks>
    public static NpgsqlConnectionStringBuilder Apply(NpgsqlConnectionStringBuilder connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // The normalised string names only the keys that were set (ContainsKey answers for any valid keyword).
        var given = connection.ConnectionString;
        if (!given.Contains("No Reset On Close=", StringComparison.OrdinalIgnoreCase))
        {
            connection.NoResetOnClose = true;
        }

        if (!given.Contains("Max Auto Prepare=", StringComparison.OrdinalIgnoreCase))
        {
            connection.MaxAutoPrepare = MaxAutoPrepare;
        }

        return connection;
    }

    /// <summary>Sets <c>application_name</c> to <paramref name="name"/> (PostgreSQL keeps its first 63 bytes), whatever the connection string said.</summary>
    public static NpgsqlConnectionStringBuilder ApplicationName(NpgsqlConnectionStringBuilder connection, string name)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.ApplicationName = name;
        return connection;
    }
}
