namespace Scheduler.Data.Operations;

/// <summary>
/// Failed executions of one job with the same error message: how many, the first and last fire time, and the newest
/// execution's entry id (to open its captured log).
/// </summary>
public sealed record FailureGroup(
    string JobGroup, string JobName, string Error, long Count, DateTimeOffset FirstUtc, DateTimeOffset LastUtc, string LastEntryId);
