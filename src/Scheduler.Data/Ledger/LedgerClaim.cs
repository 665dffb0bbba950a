namespace Scheduler.Data.Ledger;

/// <summary>
/// A claim this node holds on an occurrence: completing it requires <see cref="Token"/>. <see cref="Attempt"/> is the
/// attempt's number (1 for the first run; a take-over of a dead node's claim re-runs the same attempt). <see cref="First"/> is
/// true only for the occurrence's first claim (not a retry, replay or take-over). <see cref="ClaimedAt"/> is PostgreSQL's time
/// of the claim (null for a claim not read back from the ledger), the instant <c>scheduler_lateness</c> measures to.
/// </summary>
public sealed record LedgerClaim(
    LedgerKey Key, Guid Token, string Node, string FireInstanceId, int Attempt = 1, DateTimeOffset? ClaimedAt = null, bool First = true);
