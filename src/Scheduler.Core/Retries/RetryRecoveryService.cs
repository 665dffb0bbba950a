using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Core.Fencing;
using Scheduler.Data.Ledger;

namespace Scheduler.Core.Retries;

/// <summary>
/// Re-schedules retries the ledger records as pending but no trigger will run: a node that died after recording a
/// failure and before scheduling its retry. Every node scans every <see cref="RetryOptions.RecoveryInterval"/>; two nodes
/// re-scheduling the same retry store it once (its key is deterministic), and the retry's claim checks the attempt count,
/// so no attempt runs twice.
/// </summary>
public sealed partial class RetryRecoveryService(
    OccurrenceLedger ledger,
    ISchedulerFactory schedulers,
    IOptions<RetryOptions> options,
    TimeProvider timeProvider,
    ILogger<RetryRecoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RecoveryInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RecoverAsync(stoppingToken);
            }
            catch (Exception e) when (e is DbException or SchedulerException)
            {
                // Not swallowed silently: the next pass retries, and the warning says why this one did not happen.
                LogFailed(logger, e);
            }
        }
    }

    /// <summary>One scan: re-schedules every due retry that has no trigger. Returns how many it stored.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var stored = 0;
        foreach (var pending in await ledger.PendingRetriesAsync(scheduler.SchedulerName, OccurrenceKey.RetryTriggerGroup, cancellationToken))
        {
            var key = pending.Key;
            var occurrence = new OccurrenceKey(key.SchedulerName, new JobKey(key.JobName, key.JobGroup),
                new TriggerKey(key.TriggerName, key.TriggerGroup), key.ScheduledFireTime);
            var at = pending.RetryAt > timeProvider.GetUtcNow() ? pending.RetryAt : timeProvider.GetUtcNow();
            if (await RetryTriggers.ScheduleAsync(scheduler, occurrence, pending.Attempt, at, TriggerConstants.DefaultPriority, cancellationToken))
            {
                stored++;
                LogRecovered(logger, occurrence.Job, key.ScheduledFireTime, pending.Attempt);
            }
        }

        return stored;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-scheduled the lost retry of {JobKey} for {ScheduledFireTime:o} after attempt {Attempt}")]
    private static partial void LogRecovered(ILogger logger, JobKey jobKey, DateTimeOffset scheduledFireTime, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scanning for lost retries failed; retrying at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
