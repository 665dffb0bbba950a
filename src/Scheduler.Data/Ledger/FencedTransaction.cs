using Npgsql;

namespace Scheduler.Data.Ledger;

/// <summary>
/// A transaction on the scheduler database that holds the occurrence's ledger row locked, already marked completed,
/// and commits the job's effects together with that completion: the effect happens exactly once or not at all.
/// Dispose without <see cref="CommitAsync"/> rolls everything back, the completion included.
/// </summary>
public sealed class FencedTransaction : IAsyncDisposable
{
    internal FencedTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, LedgerClaim claim)
    {
        Connection = connection;
        Transaction = transaction;
        Claim = claim;
    }

    /// <summary>The claim this transaction completes.</summary>
    public LedgerClaim Claim { get; }

    /// <summary>The connection to run the job's statements on (with <see cref="Transaction"/>).</summary>
    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>Whether the effects and the completion were committed.</summary>
    public bool Committed { get; private set; }

    /// <summary>Commits the job's effects with the occurrence's completion (the row stayed locked since the transaction began).</summary>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await Transaction.CommitAsync(cancellationToken);
        Committed = true;
    }

    /// <summary>Rolls back what was not committed, resets the session a job's SQL may have changed, and returns the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await SessionState.ResetAsync(Connection, CancellationToken.None);
        await Connection.DisposeAsync();
    }
}
