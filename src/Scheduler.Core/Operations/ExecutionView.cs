namespace Scheduler.Core.Operations;

/// <summary>One finished execution from Quartz's history; <see cref="Log"/> only when read one at a time.</summary>
public sealed record ExecutionView(
    string? EntryId,
    string JobGroup,
    string JobName,
    string TriggerGroup,
    string TriggerName,
    string Node,
    DateTimeOffset FiredAtUtc,
    double DurationMs,
    string Result,
    string? Error,
    string? Summary,
    int RetryAttempt,
    bool RetryScheduled,
    bool Manual,
    string? FireInstanceId,
    string? Log);
