using Quartz;

namespace Scheduler.Core.Schedules;

/// <summary>The next fire times of a cron expression in its zone, as <c>scheduler validate --next</c> prints them.</summary>
public static class ScheduleForecast
{
    /// <summary>Up to <paramref name="count"/> fire times strictly after <paramref name="after"/>, as UTC and as wall-clock time in <paramref name="zone"/>.</summary>
    public static IReadOnlyList<(DateTimeOffset Utc, DateTimeOffset Local)> Next(string cron, TimeZoneInfo zone, DateTimeOffset after, int count)
    {
        var expression = new CronExpression(cron, zone);
        var result = new List<(DateTimeOffset, DateTimeOffset)>(count);
        for (var next = expression.GetNextValidTimeAfter(after); next is { } utc && result.Count < count; next = expression.GetNextValidTimeAfter(utc))
        {
            result.Add((utc.ToUniversalTime(), TimeZoneInfo.ConvertTime(utc, zone)));
        }

        return result;
    }
}
