using Scheduler.Core.Schedules;

namespace Scheduler.Tests.Schedules;

/// <summary>Cron schedules in a zone with DST (Europe/Berlin: spring forward 2026-03-29 02:00, fall back 2026-10-25 03:00).</summary>
public sealed class DaylightSavingTests
{
    private static readonly TimeZoneInfo Berlin = ScheduleCompiler.FindZone("Europe/Berlin")!;

    [Fact]
    public void A_daily_0900_schedule_fires_at_0900_local_on_both_sides_of_spring_forward()
    {
        var fires = ScheduleForecast.Next("0 0 9 * * ?", Berlin, At("2026-03-27T12:00:00Z"), 4);

        Assert.Equal(["2026-03-28T08:00:00Z", "2026-03-29T07:00:00Z", "2026-03-30T07:00:00Z", "2026-03-31T07:00:00Z"], fires.Select(f => Utc(f.Utc)));
        Assert.All(fires, f => Assert.Equal(9, f.Local.Hour));
    }

    [Fact]
    public void A_daily_0900_schedule_fires_at_0900_local_on_both_sides_of_fall_back()
    {
        var fires = ScheduleForecast.Next("0 0 9 * * ?", Berlin, At("2026-10-23T12:00:00Z"), 4);

        Assert.Equal(["2026-10-24T07:00:00Z", "2026-10-25T08:00:00Z", "2026-10-26T08:00:00Z", "2026-10-27T08:00:00Z"], fires.Select(f => Utc(f.Utc)));
        Assert.All(fires, f => Assert.Equal(9, f.Local.Hour));
    }

    [Fact]
    public void An_hourly_schedule_fires_once_per_real_hour_across_spring_forward()
    {
        // 02:00 local does not exist on 2026-03-29: 01:00 CET (00:00Z) is followed by 03:00 CEST (01:00Z).
        var fires = ScheduleForecast.Next("0 0 * * * ?", Berlin, At("2026-03-28T22:30:00Z"), 5);

        Assert.Equal(["2026-03-28T23:00:00Z", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z", "2026-03-29T03:00:00Z"],
            fires.Select(f => Utc(f.Utc)));
        Assert.Equal([0, 1, 3, 4, 5], fires.Select(f => f.Local.Hour));
    }

    [Fact]
    public void An_hourly_schedule_fires_once_per_real_hour_across_fall_back()
    {
        // 02:00 local happens twice on 2026-10-25 (00:00Z CEST and 01:00Z CET): each real hour fires once, none twice.
        var fires = ScheduleForecast.Next("0 0 * * * ?", Berlin, At("2026-10-24T22:30:00Z"), 5);

        Assert.Equal(["2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z", "2026-10-25T03:00:00Z"],
            fires.Select(f => Utc(f.Utc)));
        Assert.Equal(fires.Count, fires.Select(f => f.Utc).Distinct().Count());
    }

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    private static string Utc(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
