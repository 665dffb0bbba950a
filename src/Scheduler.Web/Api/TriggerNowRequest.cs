namespace Scheduler.Web.Api;

/// <summary>The body of "trigger now": job data for this one run (string values) and why.</summary>
public sealed record TriggerNowRequest(Dictionary<string, string>? Data, string? Reason);
