using Npgsql;

namespace Scheduler.Data.Ledger;

/// <summary>
/// A transaction on the scheduler database that holds the occurrence's ledger row locked and commits the job's
/// effects together with the occurrence's completion: the effect happens exactly once or not at all.
/// Dispose without <see cref="CommitAsync"/> rolls everything back.
/// </summary>
public sealed class FencedTransaction : IAsyncDisposable
{
    private readonly LedgerClaim claim;

    internal FencedTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, LedgerClaim claim)
    {
        Connection = connection;
        Transaction = transaction;
        this.claim = claim;
    }

    /// <summary>The connection to run the job's statements on (with <see cref="Transaction"/>).</summary>
    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    /// <summary>Whether the effects and the completion were committed.</summary>
    public bool Committed { get; private set; }

    /// <summary>Marks the occurrence completed and commits it with the job's effects.</summary>
    /// <exception cref="OccurrenceLostException">The claim stopped being ours; nothing is committed.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (await OccurrenceLedger.CompleteAsync(Connection, Transaction, claim, "completed", cancellationToken) == 0)
        {
            await Transaction.RollbackAsync(cancellationToken);
            throw new OccurrenceLostException($"The claim on {claim.Key} by {claim.Node} was taken over; its effects were rolled back.");
        }

        await Transaction.CommitAsync(cancellationToken);
        Committed = true;
    }

    public async ValueTask DisposeAsync()
    {
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
