using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Scheduler.Core.Telemetry;

/// <summary>The <c>Scheduler</c> meter: what we measure that Quartz's own <c>Quartz</c> meter does not.</summary>
public sealed class SchedulerMetrics : IDisposable
{
    /// <summary>The meter's name, exported beside Quartz's.</summary>
    public const string MeterName = "Scheduler";

    private readonly Meter meter;
    private readonly Counter<long> duplicates;
    private readonly Gauge<double> clockOffset;

    public SchedulerMetrics(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(MeterName);
        duplicates = meter.CreateCounter<long>(
            "scheduler.occurrence.duplicates_suppressed", unit: "{execution}",
            description: "Executions not run or not committed because their occurrence was already completed or held by a live node.");
        clockOffset = meter.CreateGauge<double>(
            "scheduler.clock.offset", unit: "s",
            description: "This node's clock minus PostgreSQL's, round-trip corrected; positive when the node is ahead.");
    }

    /// <summary>Records the latest measured offset of this node's clock from PostgreSQL's.</summary>
    public void ClockOffset(TimeSpan offset) => clockOffset.Record(offset.TotalSeconds);

    /// <summary>Counts one suppressed duplicate of <paramref name="job"/>.</summary>
    public void DuplicateSuppressed(string job, string reason) =>
        duplicates.Add(1, new TagList { { "quartz.job.key", job }, { "scheduler.reason", reason } });

    public void Dispose() => meter.Dispose();
}
