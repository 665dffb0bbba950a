namespace Scheduler.Web.Api;

/// <summary>The body of a replay: which failed occurrence (as <c>GET /api/occurrences?state=failed</c> lists it), and why.</summary>
public sealed record ReplayRequest(
    string? JobGroup, string? JobName, string? TriggerGroup, string? TriggerName, DateTimeOffset? ScheduledFireTime, string? Reason);
