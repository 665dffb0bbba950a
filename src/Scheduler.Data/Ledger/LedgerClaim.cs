namespace Scheduler.Data.Ledger;

/// <summary>A claim this node holds on an occurrence: completing it requires <see cref="Token"/>.</summary>
public sealed record LedgerClaim(LedgerKey Key, Guid Token, string Node, string FireInstanceId);
