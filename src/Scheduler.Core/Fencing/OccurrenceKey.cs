using System.Globalization;
using Quartz;

namespace Scheduler.Core.Fencing;

/// <summary>
/// What makes an execution "the same occurrence": the job, the trigger that scheduled it and the scheduled fire time.
/// A recovery re-fire carries the original trigger and time, so it maps to the occurrence it replays.
/// </summary>
public sealed record OccurrenceKey(string SchedulerName, JobKey Job, TriggerKey Trigger, DateTimeOffset ScheduledFireTime)
{
    /// <summary>The trigger group an operator's replay of a failed occurrence fires in.</summary>
    public const string ReplayTriggerGroup = "scheduler-replays";

    /// <summary>Trigger data of a replay: the group of the trigger whose occurrence it replays.</summary>
    public const string ReplayTriggerGroupKey = "scheduler.replay.triggerGroup";

    /// <summary>Trigger data of a replay: the name of the trigger whose occurrence it replays.</summary>
    public const string ReplayTriggerNameKey = "scheduler.replay.triggerName";

    /// <summary>Trigger data of a replay: the replayed occurrence's scheduled fire time (ISO 8601, UTC).</summary>
    public const string ReplayScheduledFireTimeKey = "scheduler.replay.scheduledFireTime";

    /// <summary>The trigger group the service's one-shot retry triggers fire in; they carry the replay keys too.</summary>
    public const string RetryTriggerGroup = "scheduler-retries";

    /// <summary>Trigger data of a retry: the occurrence's attempt count the retry was scheduled after (1 for the first retry).</summary>
    public const string RetryAttemptKey = "scheduler.retry.attempt";

    /// <summary>The key of the occurrence <paramref name="context"/> executes.</summary>
    public static OccurrenceKey For(IJobExecutionContext context)
    {
        var scheduled = (context.ScheduledFireTimeUtc ?? context.FireTimeUtc).ToUniversalTime();
        if (Replayed(context) is { } replayed)
        {
            return replayed;
        }

        if (context.Recovering && context.RecoveringTriggerKey is { } original)
        {
            // A recovery trigger fires at the original's actual fire time; its data map keeps the scheduled one.
            return new(context.Scheduler.SchedulerName, context.JobDetail.Key, original,
                OriginalScheduledFireTime(context.Trigger.JobDataMap) ?? scheduled);
        }

        return new(context.Scheduler.SchedulerName, context.JobDetail.Key, context.Trigger.Key, scheduled);
    }

    /// <summary>
    /// The attempt count a retry trigger was scheduled after, or null when <paramref name="context"/> is not a retry. A
    /// recovery re-fire of a retry is the same retry (Quartz copies the trigger's data to the recovery trigger).
    /// </summary>
    public static int? RetryOf(IJobExecutionContext context) =>
        FiredFrom(context) == RetryTriggerGroup
        && context.Trigger.JobDataMap.TryGetString(RetryAttemptKey, out var text)
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var attempt)
            ? attempt
            : null;

    /// <summary>The group of the trigger that fired: for a recovery re-fire, the group of the trigger it recovers.</summary>
    private static string FiredFrom(IJobExecutionContext context) =>
        context.Recovering && context.RecoveringTriggerKey is { } original ? original.Group : context.Trigger.Key.Group;

    /// <summary>An operator's replay, and a retry, run as the occurrence they replay, so the ledger fences them like the original.</summary>
    private static OccurrenceKey? Replayed(IJobExecutionContext context)
    {
        var data = context.Trigger.JobDataMap;
        if (FiredFrom(context) is not (ReplayTriggerGroup or RetryTriggerGroup)
            || !data.TryGetString(ReplayTriggerGroupKey, out var group) || group is null
            || !data.TryGetString(ReplayTriggerNameKey, out var name) || name is null
            || !data.TryGetString(ReplayScheduledFireTimeKey, out var text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at))
        {
            return null;
        }

        return new(context.Scheduler.SchedulerName, context.JobDetail.Key, new TriggerKey(name, group), at.ToUniversalTime());
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
