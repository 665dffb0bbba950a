namespace Scheduler.Core.Operations;

/// <summary>A cluster node as the operator surface shows it.</summary>
/// <param name="State"><c>alive</c>, <c>overdue</c> or <c>failed</c>, judged by Quartz's own recovery rule.</param>
public sealed record NodeView(
    string InstanceId,
    string State,
    DateTimeOffset? LastCheckInUtc,
    double? CheckInIntervalMs,
    string? Version,
    string? Host,
    DateTimeOffset? StartedAtUtc,
    int Running,
    bool IsAnsweringNode);
