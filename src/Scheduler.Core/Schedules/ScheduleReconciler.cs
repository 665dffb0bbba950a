using Microsoft.Extensions.Logging;
using Quartz;
using Scheduler.Data.Schedules;

namespace Scheduler.Core.Schedules;

/// <summary>
/// Makes the Quartz store match the <c>Scheduler:Jobs</c> configuration, one node at a time (advisory lock
/// <see cref="ConfigJobStore.ReconcileLockKey"/>). Only jobs recorded in <c>scheduler_config_jobs</c> are updated or removed:
/// jobs created at run time are never touched, and an unchanged entry keeps its triggers and next fire times.
/// </summary>
public sealed partial class ScheduleReconciler(ConfigJobStore store, ILogger<ScheduleReconciler> logger)
{
    private static readonly IReadOnlyList<string> NoCron = [];

    /// <summary>Trigger groups of the service's one-shot triggers (retries, replays) and Quartz's recoveries.</summary>
    private static readonly HashSet<string> ServiceTriggerGroups =
        [Fencing.OccurrenceKey.RetryTriggerGroup, Fencing.OccurrenceKey.ReplayTriggerGroup, SchedulerConstants.DefaultRecoveryGroup];

    /// <summary>Who the ownership rows and pauses name as having made the change.</summary>
    public const string Actor = "configuration";

    /// <summary>Applies <paramref name="desired"/> (the enabled entries) to <paramref name="scheduler"/>'s store.</summary>
    /// <exception cref="InvalidOperationException">An entry would replace a job that configuration does not own.</exception>
    public async Task<ReconcileResult> ReconcileAsync(IScheduler scheduler, IReadOnlyList<CompiledSchedule> desired, CancellationToken cancellationToken)
    {
        // Waits naming the holder every 10 s (a node that hangs while reconciling must not make the others wait silently).
        await using var session = await store.LockAsync(cancellationToken);
        return await ReconcileLockedAsync(session, scheduler, desired, cancellationToken);
    }

    private async Task<ReconcileResult> ReconcileLockedAsync(
        ConfigJobSession session, IScheduler scheduler, IReadOnlyList<CompiledSchedule> desired, CancellationToken ct)
    {
        var owned = (await session.ReadOwnedAsync(scheduler.SchedulerName, ct)).ToDictionary(o => new JobKey(o.Key.Name, o.Key.Group), o => o.Value);
        List<string> added = [], updated = [], removed = [], kept = [];
        foreach (var schedule in desired)
        {
            var key = schedule.Job.Key;
            var exists = await scheduler.GetJobDetail(key, ct) is not null;
            var isOwned = owned.TryGetValue(key, out var fingerprint);
            if (isOwned && exists && fingerprint == schedule.Fingerprint)
            {
                kept.Add(key.ToString());
                continue;
            }

            if (exists && !isOwned)
            {
                throw new InvalidOperationException(
                    $"{ScheduleReader.SectionName}:{schedule.Definition.Name} would replace job '{key}', which was created at run time, " +
                    "not by configuration. Rename the entry (or its Group), or delete that job first.");
            }

            await ApplyAsync(scheduler, schedule, exists, ct);
            await session.RecordAsync(
                Row(scheduler, key), schedule.Definition.Name, schedule.Fingerprint, schedule.Summary, $"{Actor} on {scheduler.SchedulerInstanceId}", ct);
            (exists ? updated : added).Add(key.ToString());
            LogChanged(logger, exists ? "Updated" : "Added", key, schedule.Definition.Cron);
        }

        var wanted = desired.Select(s => s.Job.Key).ToHashSet();
        foreach (var key in owned.Keys.Where(k => !wanted.Contains(k)))
        {
            await scheduler.DeleteJob(key, ct);
            await session.ForgetAsync(Row(scheduler, key), ct);
            removed.Add(key.ToString());
            LogChanged(logger, "Removed", key, NoCron);
        }

        var result = new ReconcileResult(added, updated, removed, kept);
        LogSummary(logger, added.Count, updated.Count, removed.Count, kept.Count);
        return result;
    }

    private static async Task ApplyAsync(IScheduler scheduler, CompiledSchedule schedule, bool exists, CancellationToken ct)
    {
        var key = schedule.Job.Key;
        if (exists)
        {
            var newTriggers = schedule.Triggers.Select(t => t.Key).ToHashSet();
            foreach (var trigger in await scheduler.GetTriggersOfJob(key, ct))
            {
                // Pending retries, replays and recoveries belong to occurrences, not to the entry: a redeploy keeps them.
                if (!newTriggers.Contains(trigger.Key) && !ServiceTriggerGroups.Contains(trigger.Key.Group))
                {
                    await scheduler.UnscheduleJob(trigger.Key, ct);
                }
            }
        }

        if (schedule.Triggers.Count == 0)
        {
            await scheduler.AddJob(schedule.Job, new AddJobOptions { Replace = true }, ct);
            return;
        }

        var options = schedule.Definition.Paused
            ? new ScheduleJobOptions { Replace = true, PauseReason = "Paused in configuration", PauseRequestedBy = Actor }
            : new ScheduleJobOptions { Replace = true };
        await scheduler.ScheduleJob(schedule.Job, schedule.Triggers, options, ct);
        if (exists && !schedule.Definition.Paused)
        {
            await scheduler.ResumeJob(key, ct);
        }
    }

    private static ConfigJobKey Row(IScheduler scheduler, JobKey key) => new(scheduler.SchedulerName, key.Group, key.Name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Change} {JobKey} {Cron}")]
    private static partial void LogChanged(ILogger logger, string change, JobKey jobKey, IReadOnlyList<string> cron);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedules reconciled: {Added} added, {Updated} updated, {Removed} removed, {Kept} kept")]
    private static partial void LogSummary(ILogger logger, int added, int updated, int removed, int kept);
}
