using Scheduler.Data.Ledger;

namespace Scheduler.Core.Fencing;

/// <summary>
/// The occurrence the current job execution has claimed, for the job's own use: an idempotency key to pass to external
/// systems, and a transaction that commits the job's database effects together with the occurrence's completion.
/// Set by <see cref="OccurrenceFencingMiddleware"/> around each execution; null when fencing is off.
/// </summary>
public sealed class FencedOccurrence
{
    private static readonly AsyncLocal<FencedOccurrence?> CurrentOccurrence = new();
    private readonly OccurrenceLedger ledger;

    internal FencedOccurrence(OccurrenceKey key, LedgerClaim claim, OccurrenceLedger ledger)
    {
        Key = key;
        Claim = claim;
        this.ledger = ledger;
    }

    /// <summary>The occurrence the executing job runs, or null outside a fenced execution.</summary>
    public static FencedOccurrence? Current
    {
        get => CurrentOccurrence.Value;
        internal set => CurrentOccurrence.Value = value;
    }

    public OccurrenceKey Key { get; }

    internal LedgerClaim Claim { get; }

    /// <summary>Set once a fenced transaction committed the completion.</summary>
    internal bool CompletedInTransaction { get; private set; }

    /// <summary>The same for every run of this occurrence: hand it to external systems to de-duplicate.</summary>
    public string IdempotencyKey => Key.IdempotencyKey;

    /// <summary>
    /// Begins a transaction on the scheduler database in which to do the job's work; <see cref="CommitAsync"/> commits the
    /// work and marks the occurrence completed atomically. If another node has taken the occurrence over, nothing commits.
    /// </summary>
    /// <exception cref="OccurrenceLostException">The claim is no longer this node's.</exception>
    public Task<FencedTransaction> BeginTransactionAsync(CancellationToken cancellationToken) =>
        ledger.BeginFencedAsync(Claim, cancellationToken);

    /// <summary>Commits a transaction begun with <see cref="BeginTransactionAsync"/>: the work and the completion, together.</summary>
    public async Task CommitAsync(FencedTransaction transaction, CancellationToken cancellationToken)
    {
        await transaction.CommitAsync(cancellationToken);
        CompletedInTransaction = true;
    }
}
