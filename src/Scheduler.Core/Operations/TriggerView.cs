namespace Scheduler.Core.Operations;

/// <summary>
/// A trigger: its schedule, state, pause record and fire times in UTC and in the trigger's own zone; for a trigger in
/// ERROR, why (<see cref="ErrorCause"/>, when a node recorded it).
/// </summary>
public sealed record TriggerView(
    string Group,
    string Name,
    string JobGroup,
    string JobName,
    string Type,
    string State,
    string? Cron,
    string? TimeZone,
    DateTimeOffset? NextFireUtc,
    DateTimeOffset? NextFireLocal,
    DateTimeOffset? PreviousFireUtc,
    DateTimeOffset? PreviousFireLocal,
    PauseView? Pause,
    int Priority,
    string? Description,
    string? ErrorCause = null);
