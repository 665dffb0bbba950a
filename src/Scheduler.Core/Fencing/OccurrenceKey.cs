using Quartz;

namespace Scheduler.Core.Fencing;

/// <summary>
/// What makes an execution "the same occurrence": the job, the trigger that scheduled it and the scheduled fire time.
/// A recovery re-fire carries the original trigger and time, so it maps to the occurrence it replays.
/// </summary>
public sealed record OccurrenceKey(string SchedulerName, JobKey Job, TriggerKey Trigger, DateTimeOffset ScheduledFireTime)
{
    /// <summary>The key of the occurrence <paramref name="context"/> executes.</summary>
    public static OccurrenceKey For(IJobExecutionContext context) => new(
        context.Scheduler.SchedulerName,
        context.JobDetail.Key,
        context.Recovering && context.RecoveringTriggerKey is { } original ? original : context.Trigger.Key,
        (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUniversalTime());

    /// <summary>A stable string to hand to external systems as an idempotency key: the same for every run of this occurrence.</summary>
    public string IdempotencyKey =>
        $"{SchedulerName}/{Job}/{Trigger}/{ScheduledFireTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}";
}
