using Microsoft.Extensions.Configuration;
using Scheduler.Core.Schedules;
using Scheduler.Jobs;

namespace Scheduler.Tests.Schedules;

/// <summary>Each kind of bad entry is reported with the entry's key and the bad value, all in one run.</summary>
public sealed class ScheduleValidatorTests
{
    private static IReadOnlyList<string> ProblemsOf(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            values["Scheduler:Jobs:" + key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var (definitions, readProblems) = ScheduleReader.Read(configuration);
        return [.. readProblems, .. new ScheduleValidator(ShippedJobKinds.Create()).Validate(definitions)];
    }

    [Fact]
    public void A_valid_entry_has_no_problems()
    {
        Assert.Empty(ProblemsOf(("beat:Type", "heartbeat"), ("beat:Cron", "0 0 9 * * ?"), ("beat:TimeZone", "Europe/Berlin"),
            ("beat:Retry:Policy", "Exponential"), ("beat:Retry:Attempts", "3"), ("beat:Retry:Delay", "00:00:05"), ("beat:Retry:MaxDelay", "00:01:00")));
    }

    [Theory]
    [InlineData("x:Type", "nope", "Scheduler:Jobs:x:Type: 'nope' is not a known job type")]
    [InlineData("x:Cron", "every day", "Scheduler:Jobs:x:Cron: 'every day' is not a valid Quartz cron expression")]
    [InlineData("x:TimeZone", "Mars/Olympus", "Scheduler:Jobs:x:TimeZone: 'Mars/Olympus' is not a known IANA time zone")]
    [InlineData("x:Misfire", "Sometimes", "Scheduler:Jobs:x:Misfire: 'Sometimes' is not one of Smart, FireNow, DoNothing, CatchUp")]
    [InlineData("x:Overlap", "Maybe", "Scheduler:Jobs:x:Overlap: 'Maybe' is not one of Allow, Skip, Wait, CancelPrevious")]
    [InlineData("x:Retry:Attempts", "0", "Scheduler:Jobs:x:Retry:Attempts: '0' must be 1 to 100")]
    [InlineData("x:Retry:Factor", "0.5", "Scheduler:Jobs:x:Retry:Factor: '0.5' must be at least 1")]
    [InlineData("x:Retry:Jitter", "1.5", "Scheduler:Jobs:x:Retry:Jitter: '1.5' must be between 0 and 1")]
    [InlineData("x:Retry:MaxDelay", "00:00:01", "Scheduler:Jobs:x:Retry:MaxDelay: '00:00:01' must not be shorter than Retry:Delay")]
    [InlineData("x:Timeout", "00:01:00", "Scheduler:Jobs:x:Timeout: applies to the sql and http kinds")]
    [InlineData("x:Sql", "SELECT 1", "Scheduler:Jobs:x:Sql: applies only to the built-in kinds")]
    [InlineData("x:After:Job", "missing", "Scheduler:Jobs:x:After:Job: 'missing' is not an enabled entry")]
    [InlineData("x:After:When", "Later", "Scheduler:Jobs:x:After:When: 'Later' is not one of Success, Failure, Any")]
    [InlineData("x:Crons", "0 0 3 * * ?", "Scheduler:Jobs:x:Crons: unknown key (did you mean Cron?); the keys of an entry are Type, Group,")]
    [InlineData("x:Retry:Attemps", "3", "Scheduler:Jobs:x:Retry:Attemps: unknown key (did you mean Attempts?); the keys of Retry are Policy, Attempts,")]
    [InlineData("x:Retry", "3", "Scheduler:Jobs:x:Retry: '3' is not a section: set its keys (Policy, Attempts,")]
    [InlineData("x:Timeout", "soon", "Scheduler:Jobs:x:Timeout: 'soon' is not a duration ([d.]hh:mm:ss, e.g. 00:05:00)")]
    [InlineData("x:Paused", "yes", "Scheduler:Jobs:x:Paused: 'yes' is not true or false")]
    [InlineData("x:Priority", "high", "Scheduler:Jobs:x:Priority: 'high' is not a whole number")]
    public void Each_kind_of_bad_value_is_named_with_its_entry(string key, string value, string expected)
    {
        var settings = new List<(string, string)> { ("x:Type", "heartbeat"), ("x:Cron", "0 0 3 * * ?"), ("other:Type", "heartbeat"), ("other:Cron", "0 0 4 * * ?") };
        settings.RemoveAll(s => s.Item1 == key);
        settings.Add((key, value));
        if (key.StartsWith("x:After", StringComparison.Ordinal) && key != "x:After:Job")
        {
            settings.Add(("x:After:Job", "other"));
        }

        var problems = ProblemsOf([.. settings]);

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void An_unknown_key_or_a_bad_value_does_not_hide_the_entrys_other_problems()
    {
        var problems = ProblemsOf(("x:Type", "heartbeat"), ("x:Cron", "every day"), ("x:Timezone", "Mars/Olympus"), ("x:Sceduled", "yes"),
            ("x:Priority", "high"), ("x:Misfire", "Sometimes"));

        Assert.Contains("Scheduler:Jobs:x:Sceduled: unknown key", string.Join("\n", problems), StringComparison.Ordinal);
        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:x:Priority: 'high' is not a whole number", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:x:Cron: 'every day'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:x:TimeZone: 'Mars/Olympus'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:x:Misfire: 'Sometimes'", StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("ErrorOnUnknownConfiguration", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Sql", null, "Scheduler:Jobs:s:Type: sql: Sql is missing")]
    [InlineData("Timeout", "00:00:00.5", "Scheduler:Jobs:s:Type: sql: Timeout '00:00:00.5000000' must be a duration from 00:00:01")]
    [InlineData("Data:sql", "SELECT 2", "Scheduler:Jobs:s:Data:sql: is set by the entry's own keys")]
    public void Sql_entries_are_checked_for_their_own_keys(string key, string? value, string expected)
    {
        var settings = new List<(string, string)> { ("s:Type", "sql"), ("s:Cron", "0 0 3 * * ?"), ("s:Sql", "SELECT 1") };
        settings.RemoveAll(s => s.Item1 == "s:" + key);
        if (value is not null)
        {
            settings.Add(("s:" + key, value));
        }

        Assert.Contains(ProblemsOf([.. settings]), p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Url", "ftp://example.org/x", "Scheduler:Jobs:h:Type: http: Url 'ftp://example.org/x' is not an absolute http or https URL")]
    [InlineData("Url", "https://example.org/x?token=secret", null)]
    [InlineData("Method", "FETCH", "Scheduler:Jobs:h:Type: http: Method 'FETCH' is not one of")]
    [InlineData("ExpectedStatus", "2xx", "Scheduler:Jobs:h:Type: http: ExpectedStatus '2xx' is not a list")]
    public void Http_entries_are_checked_for_their_own_keys(string key, string value, string? expected)
    {
        var problems = ProblemsOf(("h:Type", "http"), ("h:Cron", "0 0 3 * * ?"), ("h:Url", "https://example.org/ok"), ("h:" + key, value));

        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_missing_type_and_schedule_are_both_reported()
    {
        var problems = ProblemsOf(("x:Description", "nothing else"));

        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:x:Type: missing", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:x:Cron: missing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cycle_of_continuations_is_refused()
    {
        var problems = ProblemsOf(("a:Type", "heartbeat"), ("a:After:Job", "b"), ("b:Type", "heartbeat"), ("b:After:Job", "a"));

        Assert.Contains(problems, p => p.Contains("makes a cycle of continuations", StringComparison.Ordinal));
    }

    [Fact]
    public void A_disabled_entry_cannot_be_a_continuation_parent()
    {
        var problems = ProblemsOf(("a:Type", "heartbeat"), ("a:Cron", "0 0 3 * * ?"), ("a:Enabled", "false"),
            ("b:Type", "heartbeat"), ("b:After:Job", "a"));

        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:b:After:Job: 'a' is not an enabled entry", StringComparison.Ordinal));
    }

    [Fact]
    public void A_single_cron_string_and_an_array_both_read_and_the_string_wins()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:a:Type"] = "heartbeat",
            ["Scheduler:Jobs:a:Cron:0"] = "0 0 1 * * ?",
            ["Scheduler:Jobs:a:Cron:1"] = "0 0 2 * * ?",
            ["Scheduler:Jobs:b:Type"] = "heartbeat",
            ["Scheduler:Jobs:b:Cron:0"] = "0 0 1 * * ?",
            ["Scheduler:Jobs:b:Cron"] = "0 0 5 * * ?",
        }).Build();

        var (definitions, problems) = ScheduleReader.Read(configuration);

        Assert.Empty(problems);
        Assert.Equal(["0 0 1 * * ?", "0 0 2 * * ?"], definitions.Single(d => d.Name == "a").Cron);
        Assert.Equal(["0 0 5 * * ?"], definitions.Single(d => d.Name == "b").Cron);
    }
}
