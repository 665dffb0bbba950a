using System.Text.RegularExpressions;

namespace Scheduler.Tests.Observability;

/// <summary>config/prometheus/: the rules and the scrape config are valid, and every rule's promtool tests pass.</summary>
public sealed partial class AlertRuleTests
{
    private const string Rules = "rules/scheduler-alerts.yml";
    private const string RuleTests = "tests/scheduler-alerts.test.yml";

    [Fact]
    public async Task The_alert_rules_pass_promtool_check_rules()
    {
        var (code, output) = await PrometheusTools.PromtoolAsync("check", "rules", Rules);

        Assert.True(code == 0, output);
    }

    [Fact]
    public async Task The_alert_rules_pass_their_promtool_unit_tests()
    {
        var (code, output) = await PrometheusTools.PromtoolAsync("test", "rules", RuleTests);

        Assert.True(code == 0, output);
    }

    [Fact]
    public void Every_alert_rule_has_a_unit_test_in_which_it_fires()
    {
        var rules = AlertName().Matches(File.ReadAllText(Path.Combine(PrometheusTools.ConfigDirectory, Rules))).Select(m => m.Groups[1].Value).ToList();
        var tests = File.ReadAllText(Path.Combine(PrometheusTools.ConfigDirectory, RuleTests));
        // A test case that expects the alert: its alertname line followed by a non-empty exp_alerts list.
        var firing = FiringCase().Matches(tests).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal(10, rules.Count);
        Assert.All(rules, r => Assert.True(firing.Contains(r), $"{r} has no promtool test case in which it fires"));
    }

    [Fact]
    public async Task The_shipped_scrape_config_is_valid()
    {
        using var copy = new PrometheusConfigCopy();
        copy.WriteTargets(["127.0.0.1:5081", "127.0.0.1:5082"]);

        var (code, output) = await PrometheusTools.PromtoolAsync("check", "config", copy.ConfigFile);

        Assert.True(code == 0, output);
    }

    [GeneratedRegex(@"^\s*- alert:\s*(\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex AlertName();

    [GeneratedRegex(@"alertname:\s*(\S+)\s*\n\s*exp_alerts:\s*\n\s*- exp_labels", RegexOptions.Multiline)]
    private static partial Regex FiringCase();
}
