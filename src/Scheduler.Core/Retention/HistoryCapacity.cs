using System.Globalization;
using Quartz;
using Scheduler.Core.Schedules;

namespace Scheduler.Core.Retention;

/// <summary>
/// Whether Quartz's history row cap (<c>Scheduler:History:MaxEntriesPerScheduler</c>) would delete rows before the time
/// retention (<c>Scheduler:History:Retention</c>) does: then the history silently covers less time than configured.
/// </summary>
public static class HistoryCapacity
{
    private const int MaxFiresCountedPerCron = 1_000_000;

    /// <summary>How many times the enabled, unpaused schedules fire in the 24 hours after <paramref name="now"/>.</summary>
    public static long ConfiguredFiresPerDay(IEnumerable<JobDefinition> jobs, DateTimeOffset now)
    {
        long fires = 0;
        foreach (var job in jobs.Where(j => !j.Paused))
        {
            var zone = ScheduleCompiler.FindZone(job.TimeZone) ?? TimeZoneInfo.Utc;
            foreach (var cron in job.Cron)
            {
                var expression = new CronExpression(cron, zone);
                var end = now.AddDays(1);
                var count = 0;
                for (var next = expression.GetNextValidTimeAfter(now); next is { } at && at <= end && count < MaxFiresCountedPerCron;
                     next = expression.GetNextValidTimeAfter(at))
                {
                    count++;
                }

                fires += count;
            }
        }

        return fires;
    }

    /// <summary>
    /// A warning naming both settings when <paramref name="executionsPerDay"/> executions a day fill the cap before the
    /// retention ends; null when the cap is off (0 or unset) or large enough. <paramref name="basis"/> says where the rate came from.
    /// </summary>
    public static string? Warning(ExecutionHistoryOptions history, double executionsPerDay, string basis)
    {
        ArgumentNullException.ThrowIfNull(history);
        var kept = history.Retention;
        var cap = history.MaxEntriesPerScheduler;
        if (cap <= 0 || kept <= TimeSpan.Zero || executionsPerDay <= 0)
        {
            return null;
        }

        var needed = executionsPerDay * kept.TotalDays;
        if (needed <= cap)
        {
            return null;
        }

        var covered = TimeSpan.FromDays(cap / executionsPerDay);
        return string.Create(CultureInfo.InvariantCulture,
            $"Scheduler:History:MaxEntriesPerScheduler ({cap:N0} rows) cuts Scheduler:History:Retention ({kept.TotalDays:0.##} days) short: " +
            $"at {executionsPerDay:N0} executions a day ({basis}) the cap keeps only the last {covered.TotalHours:0.#} hours. " +
            $"Raise the cap to at least {Math.Ceiling(needed):N0} (sizing in sql/README.md) or shorten the retention.");
    }
}
