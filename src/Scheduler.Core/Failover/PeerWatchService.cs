using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Core.Telemetry;
using Scheduler.Data.Failover;

namespace Scheduler.Core.Failover;

/// <summary>
/// Waits on every live peer's node lock (<see cref="NodeLocks"/>), one dedicated session per peer, so a peer's death wakes
/// this node at once and at no cost meanwhile. When a lock is released and none of the peer's sessions is left, the peer's
/// check-in row is marked failed and Quartz's own check-in is run now (<see cref="QuartzCheckIn"/>): Quartz recovers it as
/// it would after the threshold, only sooner. A peer that keeps any session (a frozen process, a partition the server has
/// not noticed) or takes its lock again is left alone, to Quartz's threshold and the occurrence fencing. A wait that ends in
/// an error (a PostgreSQL restart ends them all) says nothing about the peer and is only armed again.
/// </summary>
public sealed partial class PeerWatchService(
    NodeLocks locks,
    ISchedulerFactory schedulers,
    IOptions<FailoverOptions> options,
    SchedulerMetrics metrics,
    TimeProvider clock,
    ILogger<PeerWatchService> logger) : BackgroundService
{
    private static readonly TimeSpan StartPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ConfirmPoll = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduler = await schedulers.GetScheduler(stoppingToken);
        // Quartz's first check-in (which recovers this node's own previous run) is over once the scheduler has run.
        while (await scheduler.GetStatus(stoppingToken) != SchedulerStatus.Running)
        {
            await Task.Delay(StartPoll, clock, stoppingToken);
        }

        var checkIn = new QuartzCheckIn(scheduler);
        if (!checkIn.Available)
        {
            LogNoCheckIn(logger);
        }

        var watches = new Dictionary<string, Task>(StringComparer.Ordinal);
        using var refresh = new PeriodicTimer(options.Value.PeerRefreshInterval, clock);
        try
        {
            do
            {
                foreach (var done in watches.Where(w => w.Value.IsCompleted).Select(w => w.Key).ToList())
                {
                    watches.Remove(done);
                }

                foreach (var peer in await ListPeersAsync(scheduler, stoppingToken))
                {
                    if (!watches.ContainsKey(peer))
                    {
                        watches[peer] = WatchAsync(scheduler, checkIn, peer, stoppingToken);
                    }
                }
            }
            while (await refresh.WaitForNextTickAsync(stoppingToken));
        }
        finally
        {
            await Task.WhenAll(watches.Values).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task<IReadOnlyList<string>> ListPeersAsync(IScheduler scheduler, CancellationToken stoppingToken)
    {
        try
        {
            return await locks.WatchablePeersAsync(scheduler.SchedulerName, scheduler.SchedulerInstanceId, stoppingToken);
        }
        catch (DbException e)
        {
            LogRefreshFailed(logger, e.Message);
            return [];
        }
    }

    /// <summary>Waits for <paramref name="peer"/>'s lock to be released, then acts on it once; the next refresh arms a new wait if the peer holds its lock again.</summary>
    private async Task WatchAsync(IScheduler scheduler, QuartzCheckIn checkIn, string peer, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var name = scheduler.SchedulerName;
        try
        {
            await locks.WaitForReleaseAsync(name, peer, stoppingToken);
            var released = clock.GetTimestamp();
            var (verdict, presence) = await ConfirmAsync(name, peer, stoppingToken);
            metrics.PeerLockReleased(verdict);
            switch (verdict)
            {
                case PeerVerdict.Gone:
                    await RecoverAsync(scheduler, checkIn, peer, presence.LastCheckin, released, stoppingToken);
                    break;
                case PeerVerdict.Alive:
                    LogAlive(logger, peer);
                    break;
                default:
                    LogUnconfirmed(logger, peer, presence.Sessions, options.Value.ConfirmWithin.TotalMilliseconds);
                    break;
            }
        }
        catch (Exception e) when (e is DbException or IOException or TimeoutException && !stoppingToken.IsCancellationRequested)
        {
            LogWaitEnded(logger, peer, e.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Polls the peer's sessions and lock for up to <see cref="FailoverOptions.ConfirmWithin"/>: a killed process's sessions close within milliseconds of its lock.</summary>
    private async Task<(PeerVerdict, PeerPresence)> ConfirmAsync(string name, string peer, CancellationToken stoppingToken)
    {
        var deadline = clock.GetTimestamp() + (long)(options.Value.ConfirmWithin.TotalSeconds * clock.TimestampFrequency);
        while (true)
        {
            var presence = await locks.InspectAsync(name, peer, stoppingToken);
            if (presence.LockHeld)
            {
                return (PeerVerdict.Alive, presence);
            }

            if (presence.Gone)
            {
                return (PeerVerdict.Gone, presence);
            }

            if (clock.GetTimestamp() >= deadline)
            {
                return (PeerVerdict.Unconfirmed, presence);
            }

            await Task.Delay(ConfirmPoll, clock, stoppingToken);
        }
    }

    private async Task RecoverAsync(
        IScheduler scheduler, QuartzCheckIn checkIn, string peer, long? seenCheckin, long released, CancellationToken stoppingToken)
    {
        if (seenCheckin is not { } seen || !await locks.MarkFailedAsync(scheduler.SchedulerName, peer, seen, stoppingToken))
        {
            LogAlreadyRecovered(logger, peer);
            return;
        }

        if (!checkIn.Available || await scheduler.GetStatus(stoppingToken) is SchedulerStatus.ShuttingDown or SchedulerStatus.Shutdown)
        {
            LogMarked(logger, peer);
            return;
        }

        try
        {
            var recovered = await checkIn.RunAsync(stoppingToken);
            LogRecovered(logger, peer, recovered ? "this node's check-in recovered it" : "another node's check-in had already recovered it",
                clock.GetElapsedTime(released).TotalMilliseconds);
        }
        catch (Exception e) when (e is DbException or JobPersistenceException or TimeoutException)
        {
            LogCheckInFailed(logger, peer, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Peer} is gone (its node lock and every session of it closed): marked failed and checked in at once, {Outcome} ({ElapsedMs:0} ms after its lock was released)")]
    private static partial void LogRecovered(ILogger logger, string peer, string outcome, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Peer} is gone (its node lock and every session of it closed): marked failed; the next check-in of a node recovers it")]
    private static partial void LogMarked(ILogger logger, string peer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Peer} is gone and its check-in row was already recovered or taken back")]
    private static partial void LogAlreadyRecovered(ILogger logger, string peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Peer} is gone, but checking in now to recover it failed ({Reason}); the next regular check-in recovers it")]
    private static partial void LogCheckInFailed(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Node {Peer} lost its node lock session and took the lock again: alive, nothing recovered")]
    private static partial void LogAlive(ILogger logger, string peer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node lock of {Peer} was released but {Sessions} of its sessions remain after {ConfirmMs:0} ms: not treated as dead; Quartz's check-in threshold decides")]
    private static partial void LogUnconfirmed(ILogger logger, string peer, int sessions, double confirmMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wait on the node lock of {Peer} ended without a release ({Reason}); it is armed again at the next refresh")]
    private static partial void LogWaitEnded(ILogger logger, string peer, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not list the peers to watch ({Reason}); trying again at the next refresh")]
    private static partial void LogRefreshFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "This Quartz version offers no check-in to run on demand: a dead peer found by its node lock is marked failed and recovered at the next regular check-in")]
    private static partial void LogNoCheckIn(ILogger logger);
}
