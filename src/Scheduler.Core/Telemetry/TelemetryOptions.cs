namespace Scheduler.Core.Telemetry;

/// <summary>Section <c>Scheduler:Telemetry</c>: how the cluster-wide gauges are sampled.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = "Scheduler:Telemetry";

    /// <summary>
    /// How often a node reads the cluster's state for its gauges (triggers in ERROR, node check-ins, job success ages):
    /// one small batch per interval. Default 15 s, Prometheus's usual scrape interval; between 1 s and 10 min.
    /// </summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);
}
