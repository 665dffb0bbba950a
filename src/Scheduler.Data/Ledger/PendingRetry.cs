namespace Scheduler.Data.Ledger;

/// <summary>
/// An occurrence the ledger says is <c>retrying</c> whose retry trigger is not in the store (a node died between
/// recording the failure and scheduling the retry): <see cref="Attempt"/> is the attempt count the retry must find.
/// </summary>
public sealed record PendingRetry(LedgerKey Key, int Attempt, DateTimeOffset RetryAt, string RetryTrigger);
