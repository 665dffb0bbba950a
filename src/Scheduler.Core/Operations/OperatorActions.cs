using System.Text.Json;
using Quartz;
using Scheduler.Core.Fencing;
using Scheduler.Data.Ledger;
using Scheduler.Data.Operations;

namespace Scheduler.Core.Operations;

/// <summary>
/// The actions of the operator surface (listed in <see cref="OperatorActionCatalog"/>). Each one is checked (unknown keys, wrong
/// state), carried out through Quartz's public API, and written to <c>scheduler_audit</c> under its catalogue name with its
/// outcome, refused and failed attempts included.
/// </summary>
public sealed partial class OperatorActions(
    OperatorQueries queries, AuditLog audit, OccurrenceQueries occurrences, TriggerData triggerData, TriggerErrorStore triggerErrors)
{
    /// <summary>The audit target of <see cref="PauseAllAsync"/> and <see cref="ResumeAllAsync"/>.</summary>
    public const string AllTarget = "*";

    /// <summary>
    /// Fires <paramref name="job"/> now, once, with <paramref name="data"/> beside its own job data. Data may add keys but
    /// never change what the job does (<see cref="TriggerData"/>); the audit records the values (secret ones hashed).
    /// </summary>
    public async Task TriggerAsync(
        Actor actor, JobKey job, IReadOnlyDictionary<string, string>? data, string? reason, CancellationToken cancellationToken)
    {
        var scheduler = await queries.SchedulerAsync(cancellationToken);
        var detail = await scheduler.GetJobDetail(job, cancellationToken);
        await AuditedAsync(actor, OperatorActionCatalog.Trigger, job.ToString(), reason, TriggerData.ForAudit(detail, data), async scheduler =>
        {
            if (detail is null)
            {
                throw OperatorException.NotFound($"No job '{job}'.");
            }

            triggerData.Check(detail, data);
            await scheduler.TriggerJob(job, data is null ? new JobDataMap() : new JobDataMap(data.ToDictionary(p => p.Key, p => (object?)p.Value)), cancellationToken);
        }, cancellationToken);
    }

    public Task PauseJobAsync(Actor actor, JobKey job, string? reason, CancellationToken cancellationToken) =>
        AuditedAsync(actor, OperatorActionCatalog.PauseJob, job.ToString(), reason, null, async scheduler =>
        {
            await RequireJobAsync(scheduler, job, cancellationToken);
            await scheduler.PauseJobWith(job, Details(actor, reason), cancellationToken);
        }, cancellationToken);

    public Task ResumeJobAsync(Actor actor, JobKey job, string? reason, CancellationToken cancellationToken) =>
        AuditedAsync(actor, OperatorActionCatalog.ResumeJob, job.ToString(), reason, null, async scheduler =>
        {
            await RequireJobAsync(scheduler, job, cancellationToken);
            await scheduler.ResumeJob(job, cancellationToken);
        }, cancellationToken);

    public Task PauseTriggerAsync(Actor actor, TriggerKey trigger, string? reason, CancellationToken cancellationToken) =>
        AuditedAsync(actor, OperatorActionCatalog.PauseTrigger, trigger.ToString(), reason, null, async scheduler =>
        {
            await RequireTriggerAsync(scheduler, trigger, cancellationToken);
            await scheduler.PauseTriggerWith(trigger, Details(actor, reason), cancellationToken);
        }, cancellationToken);

    public Task ResumeTriggerAsync(Actor actor, TriggerKey trigger, string? reason, CancellationToken cancellationToken) =>
        AuditedAsync(actor, OperatorActionCatalog.ResumeTrigger, trigger.ToString(), reason, null, async scheduler =>
        {
            await RequireTriggerAsync(scheduler, trigger, cancellationToken);
            await scheduler.ResumeTrigger(trigger, cancellationToken);
        }, cancellationToken);

    /// <summary>Pauses every trigger in <paramref name="group"/>, and triggers added to it later.</summary>
    public Task PauseGroupAsync(Actor actor, string group, string? reason, CancellationToken cancellationToken) =>
        AuditedAsync(actor, OperatorActionCatalog.PauseGroup, group, reason, null, async scheduler =>
            await scheduler.PauseTriggerGroupsWith(GroupMatcher<TriggerKey>.GroupEquals(group), Details(actor, reason), cancellationToken),
            cancellationToken);

    public Task ResumeGroupAsync(Actor actor, string group, string? reason, CancellationToken cancellationToken) =>
        AuditedAsync(actor, OperatorActionCatalog.ResumeGroup, group, reason, null, async scheduler =>
            await scheduler.ResumeTriggerGroups(GroupMatcher<TriggerKey>.GroupEquals(group), cancellationToken),
            cancellationToken);

    /// <summary>
    /// Pauses every trigger of the cluster, and every trigger added until <see cref="ResumeAllAsync"/> (Quartz remembers it
    /// in the store): nothing fires on any node; running executions finish. The switch for maintenance and restored copies.
    /// </summary>
    public Task PauseAllAsync(Actor actor, string? reason, CancellationToken cancellationToken) =>
        AuditedAsync(actor, OperatorActionCatalog.PauseAll, AllTarget, reason, null, async scheduler =>
            await scheduler.PauseAllWith(Details(actor, reason), cancellationToken), cancellationToken);

    /// <summary>Resumes every trigger; misfire instructions apply to the fires missed while paused.</summary>
    public Task ResumeAllAsync(Actor actor, string? reason, CancellationToken cancellationToken) =>
        AuditedAsync(actor, OperatorActionCatalog.ResumeAll, AllTarget, reason, null, async scheduler =>
            await scheduler.ResumeAll(cancellationToken), cancellationToken);

    /// <summary>
    /// Returns a trigger in ERROR to its normal (or paused) state. The recorded cause of the ERROR goes into the audit's detail
    /// and is then cleared; read it first with <see cref="OperatorQueries.ErrorCauseAsync"/> to show it.
    /// </summary>
    public async Task ResetTriggerAsync(Actor actor, TriggerKey trigger, string? reason, CancellationToken cancellationToken)
    {
        string? cause = null;
        await AuditedAsync(actor, OperatorActionCatalog.ResetTrigger, trigger.ToString(), reason, null, async scheduler =>
        {
            await RequireTriggerAsync(scheduler, trigger, cancellationToken);
            var state = await scheduler.GetTriggerState(trigger, cancellationToken);
            if (state != TriggerState.Error)
            {
                throw OperatorException.Conflict($"Trigger '{trigger}' is {state}, not in ERROR: nothing to reset.");
            }

            cause = await triggerErrors.FindAsync(scheduler.SchedulerName, trigger.Group, trigger.Name, cancellationToken);
            await scheduler.ResetTriggerFromErrorState(trigger, cancellationToken);
            await triggerErrors.ClearAsync(scheduler.SchedulerName, trigger.Group, trigger.Name, cancellationToken);
        }, cancellationToken, () => JsonSerializer.SerializeToElement(new { cause }));
    }

    /// <summary>Asks the node running <paramref name="fireInstanceId"/> to cancel it (cooperative: the job must honour its token).</summary>
    public Task InterruptAsync(Actor actor, string fireInstanceId, string? reason, CancellationToken cancellationToken) =>
        AuditedAsync(actor, OperatorActionCatalog.Interrupt, fireInstanceId, reason, null, async scheduler =>
        {
            if (!await scheduler.InterruptFireInstance(fireInstanceId, cancellationToken))
            {
                throw OperatorException.NotFound($"No running fire instance '{fireInstanceId}'.");
            }
        }, cancellationToken);

    /// <summary>
    /// Runs a failed or dead occurrence again, as the same occurrence: the fencing ledger lets it be claimed once more and
    /// records how the replay ends. A completed, running or retrying occurrence is refused.
    /// </summary>
    public async Task<TriggerKey> ReplayAsync(Actor actor, OccurrenceRef occurrence, string? reason, CancellationToken cancellationToken)
    {
        TriggerKey? replay = null;
        await AuditedAsync(actor, OperatorActionCatalog.Replay, occurrence.ToString(), reason, null, async scheduler =>
        {
            var record = await occurrences.FindAsync(scheduler.SchedulerName, occurrence.Job.Group, occurrence.Job.Name,
                    occurrence.Trigger.Group, occurrence.Trigger.Name, occurrence.ScheduledFireTime, cancellationToken)
                ?? throw OperatorException.NotFound($"No occurrence {occurrence} in the ledger (never run, or pruned).");
            if (record.State != LedgerOutcome.Name(OccurrenceState.Failed) && record.State != LedgerOutcome.Name(OccurrenceState.Dead))
            {
                throw OperatorException.Conflict($"Occurrence {occurrence} is {record.State}; only a failed or dead occurrence can be replayed.");
            }

            await RequireJobAsync(scheduler, occurrence.Job, cancellationToken);
            replay = await ScheduleReplayAsync(scheduler, occurrence, cancellationToken);
        }, cancellationToken);
        return replay!;
    }

    /// <summary>
    /// Replays every dead letter of <paramref name="job"/> scheduled in [<paramref name="from"/>, <paramref name="before"/>),
    /// at most <see cref="MaxBulkReplay"/>, as one audited action whose detail lists them. Returns the occurrences replayed.
    /// </summary>
    public async Task<IReadOnlyList<OccurrenceRef>> ReplayDeadLettersAsync(
        Actor actor, JobKey job, DateTimeOffset from, DateTimeOffset before, string? reason, CancellationToken cancellationToken)
    {
        if (before <= from)
        {
            throw OperatorException.Invalid("'to' must be later than 'from'.");
        }

        var replayed = new List<OccurrenceRef>();
        var target = $"{job} [{from.UtcDateTime:o}, {before.UtcDateTime:o})";
        await AuditedAsync(actor, OperatorActionCatalog.ReplayDeadLetters, target, reason, null, async scheduler =>
        {
            await RequireJobAsync(scheduler, job, cancellationToken);
            var dead = await occurrences.ListAsync(scheduler.SchedulerName, LedgerOutcome.Name(OccurrenceState.Dead), job.Group, job.Name, from, before, 0, MaxBulkReplay,
                withLog: false, cancellationToken);
            foreach (var o in dead)
            {
                var occurrence = new OccurrenceRef(job, new TriggerKey(o.TriggerName, o.TriggerGroup), o.ScheduledFireTime);
                await ScheduleReplayAsync(scheduler, occurrence, cancellationToken);
                replayed.Add(occurrence);
            }
        }, cancellationToken, () => JsonSerializer.SerializeToElement(new { count = replayed.Count, occurrences = replayed.Select(r => r.ToString()) }));
        return replayed;
    }

    /// <summary>The most dead letters one bulk replay schedules.</summary>
    public const int MaxBulkReplay = 500;

    private static async Task<TriggerKey> ScheduleReplayAsync(IScheduler scheduler, OccurrenceRef occurrence, CancellationToken cancellationToken)
    {
        var replay = new TriggerKey($"replay-{Guid.NewGuid():N}", OccurrenceKey.ReplayTriggerGroup);
        var trigger = TriggerBuilder.Create()
            .WithIdentity(replay)
            .ForJob(occurrence.Job)
            .UsingJobData(OccurrenceKey.ReplayTriggerGroupKey, occurrence.Trigger.Group)
            .UsingJobData(OccurrenceKey.ReplayTriggerNameKey, occurrence.Trigger.Name)
            .UsingJobData(OccurrenceKey.ReplayScheduledFireTimeKey, occurrence.ScheduledFireTime.ToUniversalTime().ToString("o"))
            .WithRetryPolicy(RetryPolicy.None)
            .StartNow()
            .Build();
        await scheduler.ScheduleJob(trigger, default(ScheduleJobOptions), cancellationToken);
        return replay;
    }

    private async Task AuditedAsync(
        Actor actor, OperatorAction action, string target, string? reason, JsonElement? detail, Func<IScheduler, Task> act, CancellationToken cancellationToken,
        Func<JsonElement>? detailAfter = null)
    {
        var scheduler = await queries.SchedulerAsync(cancellationToken);
        string outcome = "ok";
        try
        {
            await act(scheduler);
        }
        catch (OperatorException e)
        {
            outcome = $"refused: {e.Message}";
            throw;
        }
        catch (Exception e)
        {
            outcome = $"error: {e.GetType().Name}: {e.Message}";
            throw;
        }
        finally
        {
            await audit.AppendAsync(
                new AuditEntry(actor.Name, actor.Role, action.Name, target, reason, detailAfter?.Invoke() ?? detail, actor.Source, scheduler.SchedulerInstanceId, outcome),
                CancellationToken.None);
        }
    }

    private static PauseDetails Details(Actor actor, string? reason) => new() { Reason = reason, RequestedBy = actor.Name };

    private static async Task RequireJobAsync(IScheduler scheduler, JobKey job, CancellationToken cancellationToken)
    {
        if (await scheduler.GetJobDetail(job, cancellationToken) is null)
        {
            throw OperatorException.NotFound($"No job '{job}'.");
        }
    }

    private static async Task RequireTriggerAsync(IScheduler scheduler, TriggerKey trigger, CancellationToken cancellationToken)
    {
        if (await scheduler.GetTrigger(trigger, cancellationToken) is null)
        {
            throw OperatorException.NotFound($"No trigger '{trigger}'.");
        }
    }
}
