using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Quartz;
using Scheduler.Core.Fencing;

namespace Scheduler.Core.Retries;

/// <summary>
/// The one-shot triggers that run an occurrence's retries. A retry's key is derived from the occurrence and the attempt
/// it follows, so scheduling the same retry twice (the failing node and a recovering one) stores it once. It carries the
/// occurrence's identity as a replay does, so the ledger counts it as another attempt of the same occurrence; Quartz's own
/// retry policy is off on it.
/// </summary>
public static class RetryTriggers
{
    /// <summary>The retry trigger that follows attempt <paramref name="attempt"/> of <paramref name="occurrence"/>.</summary>
    public static TriggerKey KeyFor(OccurrenceKey occurrence, int attempt)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(occurrence.IdempotencyKey)))[..32];
        return new TriggerKey(string.Create(CultureInfo.InvariantCulture, $"{hash}-{attempt}"), OccurrenceKey.RetryTriggerGroup);
    }

    /// <summary>
    /// Schedules the retry that follows attempt <paramref name="attempt"/> at <paramref name="at"/>. Returns false when it
    /// is already scheduled (a no-op), true when this call stored it.
    /// </summary>
    public static async Task<bool> ScheduleAsync(
        IScheduler scheduler, OccurrenceKey occurrence, int attempt, DateTimeOffset at, int priority, CancellationToken cancellationToken)
    {
        var trigger = TriggerBuilder.Create()
            .WithIdentity(KeyFor(occurrence, attempt))
            .ForJob(occurrence.Job)
            .WithDescription(string.Create(CultureInfo.InvariantCulture,
                $"retry {attempt} of {occurrence.Trigger} at {occurrence.ScheduledFireTime.UtcDateTime:o}"))
            .WithPriority(priority)
            .UsingJobData(OccurrenceKey.ReplayTriggerGroupKey, occurrence.Trigger.Group)
            .UsingJobData(OccurrenceKey.ReplayTriggerNameKey, occurrence.Trigger.Name)
            .UsingJobData(OccurrenceKey.ReplayScheduledFireTimeKey, occurrence.ScheduledFireTime.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture))
            .UsingJobData(OccurrenceKey.RetryAttemptKey, attempt.ToString(CultureInfo.InvariantCulture))
            .WithRetryPolicy(RetryPolicy.None)
            .StartAt(at)
            .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
        try
        {
            await scheduler.ScheduleJob(trigger, default(ScheduleJobOptions), cancellationToken);
            return true;
        }
        catch (ObjectAlreadyExistsException)
        {
            return false;
        }
    }
}
