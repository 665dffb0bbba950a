namespace Scheduler.Web.Api;

/// <summary>The body of a bulk replay: every dead letter of one job scheduled in [<c>from</c>, <c>to</c>), and why.</summary>
public sealed record BulkReplayRequest(string? JobGroup, string? JobName, DateTimeOffset? From, DateTimeOffset? To, string? Reason);
