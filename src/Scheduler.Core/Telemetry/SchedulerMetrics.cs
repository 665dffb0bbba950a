using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Scheduler.Core.Telemetry;

/// <summary>
/// The <c>Scheduler</c> meter: what we measure that Quartz's own <c>Quartz</c> meter does not. Every instrument is listed,
/// with its Prometheus name, in README's Observability section; alert rules in <c>config/prometheus/</c> read them.
/// </summary>
public sealed class SchedulerMetrics : IDisposable
{
    /// <summary>The meter's name, exported beside Quartz's.</summary>
    public const string MeterName = "Scheduler";

    /// <summary>The job tag, spelled as Quartz spells its own attributes (<c>group.name</c>).</summary>
    public const string JobTag = "quartz.job.key";

    /// <summary>
    /// Lateness buckets in seconds: tight below a second (a healthy cluster claims within tens of milliseconds), then
    /// the steps a failover (check-in threshold, ~5–10 s) and a misfire threshold (60 s) land in.
    /// </summary>
    public static readonly IReadOnlyList<double> LatenessBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly Meter meter;
    private readonly Counter<long> duplicates;
    private readonly Counter<long> claims;
    private readonly Histogram<double> lateness;
    private readonly Counter<long> retries;
    private readonly Counter<long> deadLettered;
    private readonly Counter<long> reconcileChanges;
    private readonly Gauge<double> clockOffset;
    private readonly Counter<long> peerLocksReleased;

    public SchedulerMetrics(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(MeterName);
        duplicates = meter.CreateCounter<long>(
            "scheduler.occurrence.duplicates_suppressed", unit: "{execution}",
            description: "Executions not run or not committed because their occurrence was already completed or held by a live node.");
        claims = meter.CreateCounter<long>(
            "scheduler.occurrence.claims", unit: "{claim}",
            description: "Claims of occurrences in the ledger by outcome: claimed (first run), reclaimed (a retry, replay or takeover), suppressed (a duplicate).");
        lateness = meter.CreateHistogram(
            "scheduler.occurrence.lateness", unit: "s",
            description: "Scheduled fire time to the claim in the ledger (PostgreSQL's clock), for the first claim of each occurrence.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });
        retries = meter.CreateCounter<long>(
            "scheduler.occurrence.retries_scheduled", unit: "{retry}",
            description: "Retries the service scheduled for failed occurrences (one per failed attempt with attempts left).");
        deadLettered = meter.CreateCounter<long>(
            "scheduler.occurrence.dead_lettered", unit: "{occurrence}",
            description: "Occurrences that became dead letters: attempts spent, or a failure that is not retryable.");
        reconcileChanges = meter.CreateCounter<long>(
            "scheduler.reconcile.changes", unit: "{job}",
            description: "Jobs the configuration reconcile changed in the store, by change: added, updated, removed.");
        clockOffset = meter.CreateGauge<double>(
            "scheduler.clock.offset", unit: "s",
            description: "This node's clock minus PostgreSQL's, round-trip corrected; positive when the node is ahead.");
        peerLocksReleased = meter.CreateCounter<long>(
            "scheduler.failover.peer_lock_released", unit: "{event}",
            description: "Peers' node locks this node saw released, by verdict: gone (recovered at once), alive (took its lock again), unconfirmed (left to the check-in threshold).");
    }

    /// <summary>The meter, for the observable instruments another owner of the values registers on it.</summary>
    internal Meter Meter => meter;

    /// <summary>Counts a claim of an occurrence of <paramref name="job"/>; a first claim also records its lateness.</summary>
    /// <param name="lateBy">Scheduled fire time to claim; negative values (a fire claimed a hair early) count as zero.</param>
    public void Claimed(string job, bool first, TimeSpan lateBy)
    {
        var tags = new TagList { { JobTag, job } };
        if (first)
        {
            lateness.Record(Math.Max(0, lateBy.TotalSeconds), tags);
        }

        tags.Add("scheduler.claim.outcome", first ? "claimed" : "reclaimed");
        claims.Add(1, tags);
    }

    /// <summary>Counts one retry scheduled for an occurrence of <paramref name="job"/>.</summary>
    public void RetryScheduled(string job) => retries.Add(1, new TagList { { JobTag, job } });

    /// <summary>Counts one occurrence of <paramref name="job"/> become a dead letter.</summary>
    public void DeadLettered(string job) => deadLettered.Add(1, new TagList { { JobTag, job } });

    /// <summary>Counts what one reconcile changed, one series per kind of change.</summary>
    public void Reconciled(int added, int updated, int removed)
    {
        reconcileChanges.Add(added, new TagList { { "scheduler.change", "added" } });
        reconcileChanges.Add(updated, new TagList { { "scheduler.change", "updated" } });
        reconcileChanges.Add(removed, new TagList { { "scheduler.change", "removed" } });
    }

    /// <summary>Records the latest measured offset of this node's clock from PostgreSQL's.</summary>
    public void ClockOffset(TimeSpan offset) => clockOffset.Record(offset.TotalSeconds);

    /// <summary>Counts one suppressed duplicate of <paramref name="job"/> (also a claim whose outcome is <c>suppressed</c>).</summary>
    public void DuplicateSuppressed(string job, string reason)
    {
        duplicates.Add(1, new TagList { { JobTag, job }, { "scheduler.reason", reason } });
        claims.Add(1, new TagList { { JobTag, job }, { "scheduler.claim.outcome", "suppressed" } });
    }

    /// <summary>Counts one peer's node lock seen released, with what this node concluded.</summary>
    public void PeerLockReleased(Failover.PeerVerdict verdict) =>
        peerLocksReleased.Add(1, new TagList { { "scheduler.failover.verdict", verdict.ToString().ToLowerInvariant() } });

    public void Dispose() => meter.Dispose();
}
