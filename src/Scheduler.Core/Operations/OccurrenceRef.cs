using Quartz;

namespace Scheduler.Core.Operations;

/// <summary>Names one occurrence: the job, the trigger that scheduled it and its scheduled fire time.</summary>
public sealed record OccurrenceRef(JobKey Job, TriggerKey Trigger, DateTimeOffset ScheduledFireTime)
{
    public override string ToString() => $"{Job} (trigger {Trigger}) at {ScheduledFireTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}";
}
