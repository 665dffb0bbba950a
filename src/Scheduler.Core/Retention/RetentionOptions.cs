namespace Scheduler.Core.Retention;

/// <summary>
/// How long the tables of ours that grow are kept. Section <c>Scheduler:Retention</c>; validated at start. The execution
/// history's own retention and row cap are Quartz's, under <c>Scheduler:History</c>.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Scheduler:Retention";

    /// <summary>Occurrence ledger rows (<c>scheduler_occurrences</c>) by claim time; open claims are kept (default 14 days, at least 1 day).</summary>
    public TimeSpan Ledger { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Suppressed-duplicate records (default 14 days, at least 1 day).</summary>
    public TimeSpan SuppressedDuplicates { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Operator audit (default 365 days; at least 7 days, which <c>scheduler_prune_audit</c> enforces too).</summary>
    public TimeSpan Audit { get; set; } = TimeSpan.FromDays(365);

    /// <summary>The sample heartbeat job's rows (default 3 days, at least 1 hour).</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromDays(3);

    /// <summary>Dashboard sessions past their absolute end (<c>scheduler_sessions</c>), by end time (default 30 days, at least 1 day).</summary>
    public TimeSpan Sessions { get; set; } = TimeSpan.FromDays(30);

    /// <summary><c>scheduler_node_info</c> rows of nodes gone from the cluster, by start time (default 30 days, at least 1 day).</summary>
    public TimeSpan NodeInfo { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often a node prunes (default 1 hour, 1 minute to 1 day). Any node may; the deletes are idempotent.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows per delete statement (default 5,000, 100 to 100,000).</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>Batches per table per pass (default 200, 1 to 10,000): a backlog is worked off over several passes.</summary>
    public int MaxBatchesPerPass { get; set; } = 200;
}
