using Npgsql;

namespace Scheduler.Data;

/// <summary>
/// Puts a pooled session back as it was opened. Our connections skip Npgsql's <c>DISCARD ALL</c> on return
/// (<see cref="ConnectionDefaults"/>), so whatever a job's own SQL did to its session — <c>SET application_name</c>,
/// <c>search_path</c>, <c>statement_timeout</c>, <c>SET ROLE</c>, a session advisory lock, a temporary table, a
/// <c>LISTEN</c> — would otherwise stay on the connection and change Quartz's and the ledger's later statements.
/// </summary>
public static class SessionState
{
    // Everything DISCARD ALL does except DEALLOCATE ALL, which would drop the statements Npgsql prepared and tracks.
    // ROLE and SESSION AUTHORIZATION are not part of RESET ALL. RESET returns a setting to the value the session
    // started with, so the connection string's own options (idle_in_transaction_session_timeout…) stay.
    private const string ResetSql =
        """
        RESET statement_timeout;
        RESET SESSION AUTHORIZATION;
        RESET ROLE;
        RESET ALL;
        SELECT pg_advisory_unlock_all();
        UNLISTEN *;
        CLOSE ALL;
        DISCARD TEMP;
        DISCARD SEQUENCES
        """;

    /// <summary>
    /// Resets the session of <paramref name="connection"/> once a job's transaction has ended (committed or rolled back).
    /// If the reset itself fails, the pool is told to close this connection instead of handing it out again.
    /// </summary>
    public static async Task ResetAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection.FullState != System.Data.ConnectionState.Open)
        {
            return; // Broken or closed: Npgsql does not return a broken connection to the pool.
        }

        try
        {
            await using var reset = new NpgsqlCommand(ResetSql, connection);
            await reset.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            // The session's state is unknown: closing it is the only safe way back. ClearPool closes this busy connection
            // when it is returned (and the idle ones now), so a dirty session is never handed to Quartz or the ledger.
            NpgsqlConnection.ClearPool(connection);
        }
    }
}
