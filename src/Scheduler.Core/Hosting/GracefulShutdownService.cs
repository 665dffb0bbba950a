using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Scheduler.Core.Hosting;

/// <summary>
/// On stop, before Quartz's hosted service shuts the scheduler down: stop acquiring (standby), wait for running
/// jobs up to <see cref="ShutdownOptions.DrainTimeout"/>, then interrupt what is still running and give it
/// <see cref="ShutdownOptions.InterruptGrace"/> to unwind. Registered after Quartz's hosted service so the
/// host stops it first.
/// </summary>
public sealed partial class GracefulShutdownService(
    ISchedulerFactory schedulerFactory,
    IOptions<ShutdownOptions> options,
    TimeProvider timeProvider,
    ILogger<GracefulShutdownService> logger) : IHostedService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        if (scheduler.Status is not SchedulerStatus.Running)
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
            LogInterrupting(logger, firing.JobKey?.ToString() ?? firing.TriggerKey.ToString(), firing.FireInstanceId);
            await scheduler.InterruptFireInstance(firing.FireInstanceId, cancellationToken);
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

    /// <summary>The firings executing on this node, as the cluster's store records them.</summary>
    private static async Task<IReadOnlyList<FireInstance>> RunningHereAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var page = await scheduler.QueryFireInstances(
            new FireInstanceQuery { SchedulerInstanceId = scheduler.SchedulerInstanceId }, cancellationToken);
        return page.Items;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: no new fires acquired; waiting up to {DrainTimeout} for {RunningJobs} running job(s)")]
    private static partial void LogDraining(ILogger logger, int runningJobs, TimeSpan drainTimeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain deadline passed: interrupting {JobKey} ({FireInstanceId})")]
    private static partial void LogInterrupting(ILogger logger, string jobKey, string fireInstanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{RunningJobs} job(s) still running after the interrupt grace period; shutting down anyway")]
    private static partial void LogStillRunning(ILogger logger, int runningJobs);
}
