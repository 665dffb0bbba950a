using Scheduler.Web.Dashboard;

namespace Scheduler.Tests.Web;

/// <summary>The dashboard's numbers as operators read them.</summary>
public sealed class HumanizeTests
{
    [Theory]
    [InlineData(0.42, "0.4 ms")]
    [InlineData(850d, "850 ms")]
    [InlineData(2_500d, "2.5 s")]
    [InlineData(21_242d, "21 s")]
    [InlineData(185_000d, "3 min 5 s")]
    [InlineData(180_000d, "3 min")]
    [InlineData(7_440_000d, "2 h 4 min")]
    [InlineData(97_200_000d, "1 d 3 h")]
    [InlineData(null, "—")]
    public void Durations_are_shown_in_the_largest_readable_units(double? milliseconds, string expected) =>
        Assert.Equal(expected, Humanize.Duration(milliseconds));

    [Theory]
    [InlineData(-180, "3 min ago")]
    [InlineData(-42, "42 s ago")]
    [InlineData(-7_200, "2 h ago")]
    [InlineData(-259_200, "3 d ago")]
    [InlineData(300, "in 5 min")]
    [InlineData(0, "now")]
    public void Times_are_shown_relative_to_the_page(int secondsFromNow, string expected)
    {
        var now = new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);
        Assert.Equal(expected, Humanize.Relative(now.AddSeconds(secondsFromNow), now));
    }

    [Fact]
    public void Quartz_manual_retry_and_replay_triggers_are_named_for_what_they_are()
    {
        Assert.Equal("manual (Trigger now)", TriggerNames.Describe("DEFAULT", "MT_7f3a1b").Label);
        Assert.Equal("retry", TriggerNames.Describe("scheduler-retries", "0a1b-2").Label);
        Assert.Equal("replay", TriggerNames.Describe("scheduler-replays", "replay-0a1b").Label);
        Assert.Equal("config.nightly", TriggerNames.Describe("config", "nightly").Label);
    }
}
