namespace Scheduler.Core.Operations;

/// <summary>A fire time that did not run, from Quartz's misfire history.</summary>
public sealed record MisfireView(
    string TriggerGroup, string TriggerName, string? JobGroup, string? JobName, string Node,
    DateTimeOffset MisfiredAtUtc, DateTimeOffset? ScheduledFireUtc, string Reason);
