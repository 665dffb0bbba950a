using Quartz;

namespace Scheduler.Core.Operations;

/// <summary>Which jobs to list: group matched exactly, name by substring, jobs with a trigger in <see cref="State"/>; and the page.</summary>
public sealed record JobFilter(string? Group, string? NameContains, TriggerState? State, int Skip, int Take);
