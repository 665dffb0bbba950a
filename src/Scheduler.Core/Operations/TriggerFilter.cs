using Quartz;

namespace Scheduler.Core.Operations;

/// <summary>Which triggers to list: group matched exactly, name by substring, state, job; and the page.</summary>
public sealed record TriggerFilter(string? Group, string? NameContains, TriggerState? State, JobKey? Job, int Skip, int Take);
