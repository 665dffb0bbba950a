using Quartz;

namespace Scheduler.Core.Schedules;

/// <summary><c>Scheduler:ExecutionLimits:&lt;group&gt;</c>: how many fires of an execution group may run at once.</summary>
public sealed class ExecutionLimitOptions
{
    public const string SectionName = "Scheduler:ExecutionLimits";

    /// <summary>Concurrent runs allowed (0 forbids the group).</summary>
    public int Limit { get; set; } = 1;

    /// <summary><c>Cluster</c> (default: counted across all nodes) or <c>Node</c> (per node).</summary>
    public ExecutionLimitScope Scope { get; set; } = ExecutionLimitScope.Cluster;
}
