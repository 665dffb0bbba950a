using Microsoft.Extensions.Logging;
using Npgsql;
using Scheduler.Data.Locks;

namespace Scheduler.Data.Schedules;

/// <summary>
/// <c>scheduler_config_jobs</c> (which Quartz jobs configuration owns, and the fingerprint last applied) and the reconcile
/// lock (advisory lock <see cref="ReconcileLockKey"/>) under which one node at a time changes them.
/// </summary>
public sealed class ConfigJobStore(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<ConfigJobStore> logger)
{
    /// <summary>The advisory lock every reconciling node takes; documented in sql/README.md.</summary>
    public const long ReconcileLockKey = 83610002;

    private const string LockName = "reconcile";

    /// <summary>
    /// Opens a session holding the reconcile lock, waiting (and naming the holder in the log every 10 s) while another node
    /// holds it; disposing the session releases the lock.
    /// </summary>
    public async Task<ConfigJobSession> LockAsync(CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await AdvisoryLock.AcquireAsync(connection, ReconcileLockKey, LockName, logger, null, clock, cancellationToken);
            return new ConfigJobSession(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Returns once no node reconciles, without taking the lock, telling <paramref name="progress"/> who holds it meanwhile: a
    /// starting node waits here, where it answers its health probes, rather than inside the host's start.
    /// </summary>
    public async Task WaitUntilUnlockedAsync(StartupProgress progress, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await AdvisoryLock.WaitUntilFreeAsync(connection, ReconcileLockKey, LockName, logger, progress, clock, cancellationToken);
    }
}
