namespace Scheduler.Core.Operations;

/// <summary>A firing that is running (or reserved) somewhere in the cluster, with the progress its job last reported.</summary>
public sealed record FireInstanceView(
    string FireInstanceId,
    string TriggerGroup,
    string TriggerName,
    string? JobGroup,
    string? JobName,
    string Node,
    string State,
    DateTimeOffset FiredAtUtc,
    DateTimeOffset? ScheduledFireUtc,
    int? Progress,
    string? ProgressMessage);
