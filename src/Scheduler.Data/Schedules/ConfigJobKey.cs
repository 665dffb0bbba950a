namespace Scheduler.Data.Schedules;

/// <summary>A row key of <c>scheduler_config_jobs</c>: the Quartz job (<paramref name="Group"/>.<paramref name="Name"/>) of one scheduler.</summary>
public sealed record ConfigJobKey(string SchedName, string Group, string Name);
