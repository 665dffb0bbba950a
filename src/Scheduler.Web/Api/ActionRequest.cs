namespace Scheduler.Web.Api;

/// <summary>The body of a pause, resume, reset or interrupt: why (optional, recorded in the audit and on the pause).</summary>
public sealed record ActionRequest(string? Reason);
