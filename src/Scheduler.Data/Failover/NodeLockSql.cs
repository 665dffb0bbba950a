namespace Scheduler.Data.Failover;

/// <summary>
/// The SQL of the node locks: one session-level advisory lock per (scheduler, instance id), a bigint from
/// <c>hashtextextended</c>, held by the node's own lock session for its lifetime. PostgreSQL shows a bigint advisory key in
/// <c>pg_locks</c> as its high 32 bits (<c>classid</c>) and low 32 bits (<c>objid</c>) with <c>objsubid</c> 1.
/// </summary>
internal static class NodeLockSql
{
    /// <summary>The lock key of instance <c>@instance</c> of scheduler <c>@sched</c>.</summary>
    public const string Key = "hashtextextended('scheduler-node:' || @sched || ':' || @instance, 0)";

    /// <summary>True when some session holds the exclusive lock whose key is the bigint expression <paramref name="key"/>, in this database.</summary>
    public static string Held(string key) =>
        $"""
        EXISTS (SELECT 1 FROM pg_locks l
                 WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock' AND l.objsubid = 1
                   AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
                   AND l.classid = ((({key}) >> 32) & 4294967295)::oid AND l.objid = (({key}) & 4294967295)::oid)
        """;

    /// <summary>
    /// Timeouts a role or the server may set would end a lock session or a wait; these sessions are meant to last. A wait
    /// checks every 2 s that its client is still there, so a dead node's waits do not linger on the server.
    /// </summary>
    public const string SessionSettings =
        "SET statement_timeout = 0; SET lock_timeout = 0; SET idle_session_timeout = 0; SET client_connection_check_interval = 2000";

    public const string TryHold = $"SELECT pg_try_advisory_lock({Key})";

    /// <summary>Blocks until no session holds <c>@instance</c>'s lock exclusively (the node died, or its lock session did), then lets go at once.</summary>
    public const string WaitForRelease = $"SELECT pg_advisory_lock_shared({Key}); SELECT pg_advisory_unlock_shared({Key})";
}
