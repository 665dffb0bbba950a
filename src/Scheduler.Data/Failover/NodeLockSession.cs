using Npgsql;

namespace Scheduler.Data.Failover;

/// <summary>A dedicated session holding this node's lock; disposing it (or the process ending) releases the lock.</summary>
public sealed class NodeLockSession : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlConnection connection;

    internal NodeLockSession(NpgsqlConnection connection) => this.connection = connection;

    /// <summary>
    /// Completes only by throwing, when the session is lost (the server ended it or went away); <paramref name="cancellationToken"/>
    /// abandons the wait without touching the session, so the lock stays held until the session is disposed.
    /// </summary>
    public async Task WaitForLossAsync(CancellationToken cancellationToken)
    {
        // Nothing is listened for: a wait ends only with an error, or with a notice, after which it waits again.
        while (true)
        {
            await connection.WaitAsync(CancellationToken.None).WaitAsync(cancellationToken);
        }
    }

    public ValueTask DisposeAsync() => connection.DisposeAsync();

    public void Dispose() => connection.Dispose();
}
