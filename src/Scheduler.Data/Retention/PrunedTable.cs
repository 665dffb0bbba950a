namespace Scheduler.Data.Retention;

/// <summary>The tables of ours that grow with use and are pruned by time (Quartz prunes its own history).</summary>
public enum PrunedTable
{
    /// <summary><c>scheduler_occurrences</c> by <c>claimed_at</c>; open claims are kept.</summary>
    Ledger,

    /// <summary><c>scheduler_suppressed_duplicates</c> by <c>suppressed_at</c>.</summary>
    SuppressedDuplicates,

    /// <summary><c>scheduler_audit</c> by <c>at</c>, through <c>scheduler_prune_audit</c> (sql/0013), which keeps at least 7 days.</summary>
    Audit,

    /// <summary><c>scheduler_heartbeat</c> by <c>recorded_at</c>.</summary>
    Heartbeat,

    /// <summary><c>scheduler_sessions</c> (dashboard sign-ins, sql/0011) by <c>expires_at</c>: a session past its end is dead.</summary>
    Sessions,

    /// <summary><c>scheduler_node_info</c> rows of instance ids no longer in <c>qrtz_scheduler_state</c>, by <c>started_at</c>.</summary>
    NodeInfo,
}
