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
    private readonly Counter<long> retries;
    private readonly Counter<long> deadLettered;
    private readonly Gauge<double> clockOffset;

    public SchedulerMetrics(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(MeterName);
        duplicates = meter.CreateCounter<long>(
            "scheduler.occurrence.duplicates_suppressed", unit: "{execution}",
            description: "Executions not run or not committed because their occurrence was already completed or held by a live node.");
        retries = meter.CreateCounter<long>(
            "scheduler.occurrence.retries_scheduled", unit: "{retry}",
            description: "Retries the service scheduled for failed occurrences (one per failed attempt with attempts left).");
        deadLettered = meter.CreateCounter<long>(
            "scheduler.occurrence.dead_lettered", unit: "{occurrence}",
            description: "Occurrences that became dead letters: attempts spent, or a failure that is not retryable.");
        clockOffset = meter.CreateGauge<double>(
            "scheduler.clock.offset", unit: "s",
            description: "This node's clock minus PostgreSQL's, round-trip corrected; positive when the node is ahead.");
    }

    /// <summary>Counts one retry scheduled for an occurrence of <paramref name="job"/>.</summary>
    public void RetryScheduled(string job) => retries.Add(1, new TagList { { "quartz.job.key", job } });

    /// <summary>Counts one occurrence of <paramref name="job"/> become a dead letter.</summary>
    public void DeadLettered(string job) => deadLettered.Add(1, new TagList { { "quartz.job.key", job } });

    /// <summary>Records the latest measured offset of this node's clock from PostgreSQL's.</summary>
    public void ClockOffset(TimeSpan offset) => clockOffset.Record(offset.TotalSeconds);

    /// <summary>Counts one suppressed duplicate of <paramref name="job"/>.</summary>
    public void DuplicateSuppressed(string job, string reason) =>
        duplicates.Add(1, new TagList { { "quartz.job.key", job }, { "scheduler.reason", reason } });

    public void Dispose() => meter.Dispose();
}
