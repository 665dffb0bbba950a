using Quartz;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// <see cref="Triggers"/> cron triggers firing every second from <see cref="Start"/> for <see cref="Seconds"/> seconds on the
/// heartbeat job: the expected occurrences are every (trigger, second) pair, which <see cref="CronAudit"/> checks against.
/// </summary>
public sealed record CronPlan(string Instance, JobKey Job, int Triggers, DateTimeOffset Start, int Seconds, int WorkMs, bool RequestsRecovery)
{
    public static string TriggerName(int i) => $"cron-{i:D5}";

    public int Expected => Triggers * Seconds;

    public DateTimeOffset End => Start.AddSeconds(Seconds);

    /// <summary>Stores the job and its triggers through <paramref name="client"/>; returns how long that took.</summary>
    public async Task<TimeSpan> ScheduleAsync(StoreClient client)
    {
        var job = StoreClient.Heartbeat(Job, WorkMs, RequestsRecovery);
        var triggers = Enumerable.Range(0, Triggers).Select(i => TriggerBuilder.Create()
            .WithIdentity(TriggerName(i), Job.Group).ForJob(job)
            .StartAt(Start).EndAt(End.AddMilliseconds(-500))
            .WithCronSchedule("* * * * * ?", c => c.InTimeZone(TimeZoneInfo.Utc))
            .Build()).ToList();
        return await client.ScheduleAsync(job, triggers, paused: false);
    }
}
