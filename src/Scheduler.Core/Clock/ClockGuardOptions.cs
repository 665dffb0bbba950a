namespace Scheduler.Core.Clock;

/// <summary>How a node checks its clock against PostgreSQL's. Section <c>Scheduler:ClockGuard</c>.</summary>
public sealed class ClockGuardOptions
{
    public const string SectionName = "Scheduler:ClockGuard";

    /// <summary>Measure the offset and act on it (default true). Off, the node runs on its own clock, uncorrected.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The largest offset from PostgreSQL's clock at which the node still acquires triggers (default 1 s, well under the
    /// cluster's check-in threshold). Past it the node stops acquiring and reports not ready until its clock is back.
    /// </summary>
    public TimeSpan MaxOffset { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often to measure (default: the cluster check-in interval, <c>Quartz:JobStore:Clustering:CheckinInterval</c>).</summary>
    public TimeSpan? CheckInterval { get; set; }
}
