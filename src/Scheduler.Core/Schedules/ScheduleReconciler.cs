using Microsoft.Extensions.Logging;
using Npgsql;
using Scheduler.Data.Locks;
using Quartz;

namespace Scheduler.Core.Schedules;

/// <summary>
/// Makes the Quartz store match the <c>Scheduler:Jobs</c> configuration, one node at a time (advisory lock
/// <see cref="AdvisoryLockKey"/>). Only jobs recorded in <c>scheduler_config_jobs</c> are updated or removed:
/// jobs created at run time are never touched, and an unchanged entry keeps its triggers and next fire times.
/// </summary>
public sealed partial class ScheduleReconciler(NpgsqlDataSource dataSource, ILogger<ScheduleReconciler> logger, TimeProvider clock)
{
    /// <summary>For callers without dependency injection (tests): the system clock.</summary>
    public ScheduleReconciler(NpgsqlDataSource dataSource, ILogger<ScheduleReconciler> logger)
        : this(dataSource, logger, TimeProvider.System)
    {
    }

    /// <summary>The advisory lock every reconciling node takes; documented in sql/README.md.</summary>
    public const long AdvisoryLockKey = 83610002;

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
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Waits naming the holder every 10 s (a node that hangs while reconciling must not make the others wait silently).
        await AdvisoryLock.AcquireAsync(connection, AdvisoryLockKey, "reconcile", logger, null, clock, cancellationToken);
        try
        {
            return await ReconcileLockedAsync(connection, scheduler, desired, cancellationToken);
        }
        finally
        {
            await AdvisoryLock.ReleaseAsync(connection, AdvisoryLockKey);
        }
    }

    private async Task<ReconcileResult> ReconcileLockedAsync(
        NpgsqlConnection connection, IScheduler scheduler, IReadOnlyList<CompiledSchedule> desired, CancellationToken ct)
    {
        var owned = await ReadOwnedAsync(connection, scheduler.SchedulerName, ct);
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
            await RecordAsync(connection, scheduler, schedule, ct);
            (exists ? updated : added).Add(key.ToString());
            LogChanged(logger, exists ? "Updated" : "Added", key, schedule.Definition.Cron);
        }

        var wanted = desired.Select(s => s.Job.Key).ToHashSet();
        foreach (var key in owned.Keys.Where(k => !wanted.Contains(k)))
        {
            await scheduler.DeleteJob(key, ct);
            await ExecuteAsync(connection,
                "DELETE FROM scheduler_config_jobs WHERE sched_name = @sched AND job_group = @group AND job_name = @name", ct,
                ("sched", scheduler.SchedulerName), ("group", key.Group), ("name", key.Name));
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

    private static async Task RecordAsync(NpgsqlConnection connection, IScheduler scheduler, CompiledSchedule schedule, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO scheduler_config_jobs (sched_name, job_group, job_name, entry_name, fingerprint, definition, applied_by)
            VALUES (@sched, @group, @name, @entry, @fingerprint, @definition::jsonb, @by)
            ON CONFLICT (sched_name, job_group, job_name) DO UPDATE
               SET entry_name = excluded.entry_name, fingerprint = excluded.fingerprint, definition = excluded.definition,
                   applied_at = now(), applied_by = excluded.applied_by
            """, connection);
        command.Parameters.AddWithValue("sched", scheduler.SchedulerName);
        command.Parameters.AddWithValue("group", schedule.Job.Key.Group);
        command.Parameters.AddWithValue("name", schedule.Job.Key.Name);
        command.Parameters.AddWithValue("entry", schedule.Definition.Name);
        command.Parameters.AddWithValue("fingerprint", schedule.Fingerprint);
        command.Parameters.AddWithValue("definition", schedule.Summary);
        command.Parameters.AddWithValue("by", $"{Actor} on {scheduler.SchedulerInstanceId}");
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<Dictionary<JobKey, string>> ReadOwnedAsync(NpgsqlConnection connection, string schedName, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT job_group, job_name, fingerprint FROM scheduler_config_jobs WHERE sched_name = @sched", connection);
        command.Parameters.AddWithValue("sched", schedName);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var owned = new Dictionary<JobKey, string>();
        while (await reader.ReadAsync(ct))
        {
            owned[new JobKey(reader.GetString(1), reader.GetString(0))] = reader.GetString(2);
        }

        return owned;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedule {Change} {JobKey} {Cron}")]
    private static partial void LogChanged(ILogger logger, string change, JobKey jobKey, IReadOnlyList<string> cron);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schedules reconciled: {Added} added, {Updated} updated, {Removed} removed, {Kept} kept")]
    private static partial void LogSummary(ILogger logger, int added, int updated, int removed, int kept);
}
