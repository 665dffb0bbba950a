using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Scheduler.Core.Hosting;

/// <summary>
/// On stop, before Quartz's hosted service shuts the scheduler down: stop acquiring (standby), wait for running
/// jobs up to <see cref="ShutdownOptions.DrainTimeout"/>, then interrupt what is still running and give it
/// <see cref="ShutdownOptions.InterruptGrace"/> to unwind. Registered after Quartz's hosted service so the
/// host stops it first. While the store cannot be read (PostgreSQL unreachable, before or during the drain) it counts the
/// firings this process runs itself, so the drain keeps its deadlines instead of waiting on the database.
/// </summary>
public sealed partial class GracefulShutdownService(
    ISchedulerFactory schedulerFactory,
    RunningFirings runningFirings,
    IOptions<ShutdownOptions> options,
    TimeProvider timeProvider,
    ILogger<GracefulShutdownService> logger) : IHostedService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long one read of the store may take before the drain counts this process's own firings instead.</summary>
    private static readonly TimeSpan StoreReadTimeout = TimeSpan.FromSeconds(2);

    private bool storeUnreachableLogged;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        // Standby too: the clock guard may hold a skewed node in standby while firings it acquired before still run.
        if (scheduler.Status is not (SchedulerStatus.Running or SchedulerStatus.Standby))
        {
            return;
        }

        await scheduler.Standby(cancellationToken);
        var running = await RunningHereAsync(scheduler, cancellationToken);
        LogDraining(logger, running.Count, options.Value.DrainTimeout);

        if (await WaitForIdleAsync(scheduler, options.Value.DrainTimeout, cancellationToken))
        {
            return;
        }

        foreach (var firing in await RunningHereAsync(scheduler, cancellationToken))
        {
            LogInterrupting(logger, firing.Name, firing.FireInstanceId);
            await InterruptAsync(scheduler, firing.FireInstanceId, cancellationToken);
        }

        if (!await WaitForIdleAsync(scheduler, options.Value.InterruptGrace, cancellationToken))
        {
            LogStillRunning(logger, (await RunningHereAsync(scheduler, cancellationToken)).Count);
        }
    }

    private async Task<bool> WaitForIdleAsync(IScheduler scheduler, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + timeout;
        while ((await RunningHereAsync(scheduler, cancellationToken)).Count > 0)
        {
            if (timeProvider.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, timeProvider, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// The firings executing on this node, as the cluster's store records them; while the store cannot be read, the
    /// firings this process is running.
    /// </summary>
    private async Task<IReadOnlyList<RunningFiring>> RunningHereAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        try
        {
            var page = await scheduler.QueryFireInstances(
                    new FireInstanceQuery { SchedulerInstanceId = scheduler.SchedulerInstanceId }, cancellationToken)
                .AsTask().WaitAsync(StoreReadTimeout, timeProvider, cancellationToken);
            return [.. page.Items.Select(f => new RunningFiring(f.FireInstanceId, f.JobKey?.ToString() ?? f.TriggerKey.ToString()))];
        }
        catch (Exception e) when (e is SchedulerException or TimeoutException)
        {
            if (!storeUnreachableLogged)
            {
                storeUnreachableLogged = true;
                LogStoreUnreachable(logger, e.GetBaseException().Message);
            }

            return [.. runningFirings.Snapshot().Select(f => new RunningFiring(f.FireInstanceId, f.Name))];
        }
    }

    /// <summary>Interrupts through Quartz (which records it in the store), or in this process when the store cannot be reached.</summary>
    private async Task InterruptAsync(IScheduler scheduler, string fireInstanceId, CancellationToken cancellationToken)
    {
        try
        {
            await scheduler.InterruptFireInstance(fireInstanceId, cancellationToken)
                .AsTask().WaitAsync(StoreReadTimeout, timeProvider, cancellationToken);
        }
        catch (Exception e) when (e is SchedulerException or TimeoutException)
        {
            runningFirings.Interrupt(fireInstanceId);
        }
    }

    private sealed record RunningFiring(string FireInstanceId, string Name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: no new fires acquired; waiting up to {DrainTimeout} for {RunningJobs} running job(s)")]
    private static partial void LogDraining(ILogger logger, int runningJobs, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping while the database is unreachable ({Reason}): draining the jobs this process runs; the stop ends at its deadline either way")]
    private static partial void LogStoreUnreachable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain deadline passed: interrupting {JobKey} ({FireInstanceId})")]
    private static partial void LogInterrupting(ILogger logger, string jobKey, string fireInstanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{RunningJobs} job(s) still running after the interrupt grace period; shutting down anyway")]
    private static partial void LogStillRunning(ILogger logger, int runningJobs);
}
