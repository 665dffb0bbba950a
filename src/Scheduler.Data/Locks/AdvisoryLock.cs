using Microsoft.Extensions.Logging;
using Npgsql;

namespace Scheduler.Data.Locks;

/// <summary>
/// Takes a session-level PostgreSQL advisory lock without waiting blind: it polls <c>pg_try_advisory_lock</c> and, every
/// <see cref="ReportEvery"/>, logs which session holds the lock (pid, application_name = the holder's instance id, user,
/// since when) and tells <see cref="StartupProgress"/>.
/// </summary>
public static partial class AdvisoryLock
{
    /// <summary>How often a waiter names the holder in the log.</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Returns once <paramref name="connection"/> holds lock <paramref name="key"/>; release it with <see cref="ReleaseAsync"/>.</summary>
    public static async Task AcquireAsync(
        NpgsqlConnection connection, long key, string what, ILogger logger, StartupProgress? progress, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var nextReport = clock.GetUtcNow();
        while (!await TryAsync(connection, key, cancellationToken))
        {
            if (clock.GetUtcNow() >= nextReport)
            {
                var holder = await DescribeHolderAsync(connection, key, cancellationToken);
                LogWaiting(logger, what, key, holder);
                progress?.Waiting($"the {what} lock ({key}) held by {holder}");
                nextReport = clock.GetUtcNow() + ReportEvery;
            }

            await Task.Delay(PollEvery, clock, cancellationToken);
        }

        progress?.Done();
    }

    /// <summary>
    /// Returns once no session holds <paramref name="key"/>, without taking it: a starting node waits here (serving its health
    /// endpoints) rather than inside the host's start, where it could not answer.
    /// </summary>
    public static async Task WaitUntilFreeAsync(
        NpgsqlConnection connection, long key, string what, ILogger logger, StartupProgress? progress, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var nextReport = clock.GetUtcNow();
        while (await HolderAsync(connection, key, cancellationToken) is { } holder)
        {
            progress?.Waiting($"the {what} lock ({key}) held by {holder}");
            if (clock.GetUtcNow() >= nextReport)
            {
                LogWaiting(logger, what, key, holder);
                nextReport = clock.GetUtcNow() + ReportEvery;
            }

            await Task.Delay(PollEvery, clock, cancellationToken);
        }

        progress?.Done();
    }

    public static async Task ReleaseAsync(NpgsqlConnection connection, long key)
    {
        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>The sessions holding <paramref name="key"/>, e.g. <c>node-2 (pid 4711, user scheduler, since 10:41:02Z)</c>.</summary>
    public static async Task<string> DescribeHolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken) =>
        await HolderAsync(connection, key, cancellationToken) ?? "a session that just released it";

    private static async Task<string?> HolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT string_agg(format('%s (pid %s, user %s, since %s)', coalesce(nullif(a.application_name, ''), 'unnamed session'),
                                     a.pid, a.usename, to_char(a.backend_start AT TIME ZONE 'UTC', 'HH24:MI:SS"Z"')), ', ')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND ((l.classid::bigint << 32) | l.objid::bigint) = @key
            """, connection);
        command.Parameters.AddWithValue("key", key);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<bool> TryAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the {What} lock ({LockKey}), held by {Holder}")]
    private static partial void LogWaiting(ILogger logger, string what, long lockKey, string holder);
}
