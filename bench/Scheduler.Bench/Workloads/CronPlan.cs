using Quartz;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// <see cref="Triggers"/> cron triggers firing every second from <see cref="Start"/> for <see cref="Seconds"/> seconds on the
/// heartbeat job: the expected occurrences are every (trigger, second) pair, which <see cref="CronAudit"/> checks against.
/// <see cref="Hourly"/> (with one second) stores each trigger as a real top-of-the-hour schedule instead: due at
/// <see cref="Start"/>'s minute and second of every hour, with no end, so its fire re-arms it for the next hour rather than
/// completing and deleting it.
/// </summary>
public sealed record CronPlan(string Instance, JobKey Job, int Triggers, DateTimeOffset Start, int Seconds, int WorkMs, bool RequestsRecovery, bool Hourly = false)
{
    public static string TriggerName(int i) => $"cron-{i:D5}";

    public int Expected => Triggers * Seconds;

    public DateTimeOffset End => Start.AddSeconds(Seconds);

    /// <summary>Stores the job and its triggers through <paramref name="client"/>; returns how long that took.</summary>
    public async Task<TimeSpan> ScheduleAsync(StoreClient client)
    {
        var job = StoreClient.Heartbeat(Job, WorkMs, RequestsRecovery);
        if (Hourly && Seconds != 1)
        {
            throw new ArgumentException("An hourly plan fires once in the window: Seconds must be 1.");
        }

        var cron = Hourly ? $"{Start.UtcDateTime.Second} {Start.UtcDateTime.Minute} * * * ?" : "* * * * * ?";
        var triggers = Enumerable.Range(0, Triggers).Select(i => TriggerBuilder.Create()
            .WithIdentity(TriggerName(i), Job.Group).ForJob(job)
            .StartAt(Start).EndAt(Hourly ? null : End.AddMilliseconds(-500))
            .WithCronSchedule(cron, c => c.InTimeZone(TimeZoneInfo.Utc))
            .Build()).ToList();
        return await client.ScheduleAsync(job, triggers, paused: false);
    }
}
