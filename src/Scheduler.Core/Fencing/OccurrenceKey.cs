using System.Globalization;
using Quartz;

namespace Scheduler.Core.Fencing;

/// <summary>
/// What makes an execution "the same occurrence": the job, the trigger that scheduled it and the scheduled fire time.
/// A recovery re-fire carries the original trigger and time, so it maps to the occurrence it replays.
/// </summary>
public sealed record OccurrenceKey(string SchedulerName, JobKey Job, TriggerKey Trigger, DateTimeOffset ScheduledFireTime)
{
    /// <summary>The key of the occurrence <paramref name="context"/> executes.</summary>
    public static OccurrenceKey For(IJobExecutionContext context)
    {
        var scheduled = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUniversalTime();
        if (context.Recovering && context.RecoveringTriggerKey is { } original)
        {
            // A recovery trigger fires at the original's actual fire time; its data map keeps the scheduled one.
            return new(context.Scheduler.SchedulerName, context.JobDetail.Key, original,
                OriginalScheduledFireTime(context.Trigger.JobDataMap) ?? scheduled);
        }

        return new(context.Scheduler.SchedulerName, context.JobDetail.Key, context.Trigger.Key, scheduled);
    }

    private static DateTimeOffset? OriginalScheduledFireTime(JobDataMap data)
    {
        if (!data.TryGetValue(SchedulerConstants.FailedJobOriginalTriggerScheduledFireTime, out var value) || value is null)
        {
            return null;
        }

        var text = Convert.ToString(value, CultureInfo.InvariantCulture);
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            ? parsed.ToUniversalTime()
            : null;
    }

    /// <summary>A stable string to hand to external systems as an idempotency key: the same for every run of this occurrence.</summary>
    public string IdempotencyKey =>
        $"{SchedulerName}/{Job}/{Trigger}/{ScheduledFireTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ}";
}
