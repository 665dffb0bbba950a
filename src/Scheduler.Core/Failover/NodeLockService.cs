using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using Scheduler.Data.Failover;

namespace Scheduler.Core.Failover;

/// <summary>
/// Holds this node's lock (<see cref="NodeLocks"/>) on a dedicated session for as long as the process lives, and takes it
/// again if that session alone is lost. The lock is never released on purpose: it goes with the process, so a node that
/// stopped (cleanly or at its stop deadline) is recovered by its peers as promptly as a killed one.
/// </summary>
public sealed partial class NodeLockService(
    NodeLocks locks,
    ISchedulerFactory schedulers,
    TimeProvider clock,
    ILogger<NodeLockService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RetryTakenAfter = TimeSpan.FromSeconds(30);
    private NodeLockSession? session;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduler = await schedulers.GetScheduler(stoppingToken);
        var (name, node) = (scheduler.SchedulerName, scheduler.SchedulerInstanceId);
        while (!stoppingToken.IsCancellationRequested)
        {
            var retryAfter = RetryAfter;
            try
            {
                if (!await HoldAsync(name, node, stoppingToken))
                {
                    LogTaken(logger, node);
                    retryAfter = RetryTakenAfter;
                }
            }
            catch (Exception e) when (e is DbException or IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                LogLost(logger, node, e.Message);
                // A session lost while held is taken again at once, within the peers' ConfirmWithin: they then see this node alive.
                retryAfter = session is null ? RetryAfter : TimeSpan.Zero;
            }

            DropSession();
            await Task.Delay(retryAfter, clock, stoppingToken);
        }
    }

    /// <summary>Takes the lock and waits on its session until that breaks; false at once when another session holds the lock.</summary>
    private async Task<bool> HoldAsync(string schedulerName, string instanceId, CancellationToken stoppingToken)
    {
        session = await locks.TryHoldAsync(schedulerName, instanceId, stoppingToken);
        if (session is null)
        {
            return false;
        }

        LogHeld(logger, instanceId);
        // A stop abandons the wait rather than cancelling it, which would close the session and release the lock before the process ends.
        await session.WaitForLossAsync(stoppingToken);
        return true;
    }

    private void DropSession()
    {
        var dropped = Interlocked.Exchange(ref session, null);
        try
        {
            dropped?.Dispose();
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException)
        {
            LogLost(logger, "(closing)", e.Message);
        }
    }

    /// <summary>Closes the lock session last, when the host is disposed: its lock goes with the process.</summary>
    public override void Dispose()
    {
        DropSession();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Node lock of {Node} held: peers learn of this process's death from PostgreSQL at once")]
    private static partial void LogHeld(ILogger logger, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node lock session of {Node} lost ({Reason}); taking the lock again")]
    private static partial void LogLost(ILogger logger, string node, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Node lock of {Node} is held by another session: is another process running with this instance id? Retrying; until then peers find this node's death by the check-in threshold only")]
    private static partial void LogTaken(ILogger logger, string node);
}
