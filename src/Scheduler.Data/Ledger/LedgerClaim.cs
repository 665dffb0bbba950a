namespace Scheduler.Data.Ledger;

/// <summary>
/// A claim this node holds on an occurrence: completing it requires <see cref="Token"/>. <see cref="Attempt"/> counts the
/// runs of the occurrence claimed so far, this one included (1 for its first run). <see cref="ClaimedAt"/> is PostgreSQL's
/// time of the claim (null for a claim not read back from the ledger), the instant <c>scheduler_lateness</c> measures to.
/// </summary>
public sealed record LedgerClaim(LedgerKey Key, Guid Token, string Node, string FireInstanceId, int Attempt = 1, DateTimeOffset? ClaimedAt = null);
