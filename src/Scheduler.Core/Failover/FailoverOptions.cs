namespace Scheduler.Core.Failover;

/// <summary>
/// Prompt failover of killed nodes through PostgreSQL session locks (section <c>Scheduler:Failover</c>). A frozen or
/// partitioned node keeps its sessions, so it is still left to Quartz's check-in threshold.
/// </summary>
public sealed class FailoverOptions
{
    public const string SectionName = "Scheduler:Failover";

    /// <summary>
    /// Hold a node lock and watch the peers' (default true). Off behind a pooler in transaction mode (PgBouncer), where a
    /// session lock does not outlive a transaction: dead nodes are then found by the check-in threshold alone.
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long, after a peer's lock is released, its other sessions may take to close before the peer counts as gone
    /// (default 1 s, 100 ms – 10 s). A peer that still has sessions then, or holds its lock again, is alive and is left to the threshold.
    /// </summary>
    public TimeSpan ConfirmWithin { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a node re-reads which peers hold their lock, to watch nodes that joined since (default 15 s, 1 s – 10 min; one statement each).</summary>
    public TimeSpan PeerRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);
}
