namespace Scheduler.Data.Telemetry;

/// <summary>
/// The cluster as the store shows it at one instant: triggers in ERROR by job (<c>group.name</c>) and, per node row of
/// <c>qrtz_scheduler_state</c>, seconds since its last check-in on PostgreSQL's clock.
/// </summary>
public sealed record ClusterSnapshot(IReadOnlyDictionary<string, long> TriggersInError, IReadOnlyDictionary<string, double> CheckinAge)
{
    public static readonly ClusterSnapshot Empty = new(new Dictionary<string, long>(), new Dictionary<string, double>());
}
