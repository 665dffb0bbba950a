namespace Scheduler.Data.Operations;

/// <summary>One row of <c>scheduler_occurrences</c>: an occurrence (job, trigger, scheduled fire time) and how it ended.</summary>
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
    int DuplicatesSuppressed);
