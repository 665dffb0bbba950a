namespace Scheduler.Data.Operations;

/// <summary>
/// One row of <c>scheduler_occurrences</c>: an occurrence (job, trigger, scheduled fire time) and how it ended. <see cref="State"/>
/// is <c>claimed</c>, <c>completed</c>, <c>failed</c>, <c>retrying</c> (the next attempt is due at <see cref="RetryAt"/>) or
/// <c>dead</c>; <see cref="Attempts"/> counts its runs; <see cref="LastError"/> is its last failure; <see cref="Log"/> what its
/// last attempt logged, when asked for.
/// </summary>
public sealed record OccurrenceRecord(
    string JobGroup,
    string JobName,
    string TriggerGroup,
    string TriggerName,
    DateTimeOffset ScheduledFireTime,
    string State,
    string ClaimedBy,
    DateTimeOffset ClaimedAt,
    DateTimeOffset? CompletedAt,
    int Attempts,
    int DuplicatesSuppressed,
    string? LastError = null,
    DateTimeOffset? RetryAt = null,
    string? Log = null);
