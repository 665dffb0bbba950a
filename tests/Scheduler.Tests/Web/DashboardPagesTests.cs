using System.Net;
using System.Text.RegularExpressions;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary>The dashboard's pages against a real node and its history: what they list, group, name and refuse, and that they encode.</summary>
public sealed partial class DashboardPagesTests(DashboardPagesFixture fixture) : IClassFixture<DashboardPagesFixture>
{
    private const string QuickHistory = "/history?group=pages&job=quick";

    [Fact]
    public async Task The_history_page_lists_runs_across_jobs_newest_first_filtered_by_job_outcome_node_and_time_and_paged()
    {
        using var session = await DashboardSession.SignInAsync(fixture.Node, WebNode.ViewerKey);
        var firstRun = await fixture.Db.ScalarAsync<long>("SELECT min(fired_time) FROM qrtz_execution_history WHERE job_name = 'quick'");
        var before = Uri.EscapeDataString(new DateTimeOffset(firstRun, TimeSpan.Zero).ToString("o"));

        var first = await session.PageAsync(QuickHistory);
        var second = await session.PageAsync(QuickHistory + "&skip=50");
        var onNode = await session.PageAsync(QuickHistory + "&node=pages-node");
        var elsewhere = await session.PageAsync(QuickHistory + "&node=elsewhere");
        var quickFailures = await session.PageAsync(QuickHistory + "&outcome=failed");
        var beforeFirst = await session.PageAsync(QuickHistory + "&to=" + before);
        var fromFirst = await session.PageAsync(QuickHistory + "&from=" + before + "&skip=50");
        var allFailures = await session.PageAsync("/history?outcome=failed");

        Assert.Equal(50, Rows(first).Count);
        Assert.All(Rows(first), r => Assert.Contains("pages.quick", r, StringComparison.Ordinal));
        Assert.Contains("id=\"history-older\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"history-newer\"", first, StringComparison.Ordinal);
        Assert.Equal(DashboardPagesFixture.QuickRuns - 50, Rows(second).Count);
        Assert.Contains("id=\"history-newer\"", second, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"history-older\"", second, StringComparison.Ordinal);
        Assert.Equal(50, Rows(onNode).Count);
        Assert.Empty(Rows(elsewhere));
        Assert.Empty(Rows(quickFailures));
        Assert.Empty(Rows(beforeFirst));
        Assert.Equal(DashboardPagesFixture.QuickRuns - 50, Rows(fromFirst).Count);
        // Across jobs: every failure of the broken and the hostile job, nothing else, newest first.
        var failed = Rows(allFailures);
        Assert.Equal(await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM qrtz_execution_history WHERE NOT succeeded"), failed.Count);
        Assert.All(failed, r => Assert.Contains("class=\"execution failed\"", r, StringComparison.Ordinal));
        Assert.Contains(failed, r => r.Contains("pages.broken", StringComparison.Ordinal));
        Assert.Contains(failed, r => r.Contains("&lt;b&gt;grp", StringComparison.Ordinal));
        var times = failed.Select(r => DateTimeOffset.Parse(TimePattern().Match(r).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Theory]
    [InlineData("/history?group=pages", "Give both")]
    [InlineData("/history?outcome=exploded", "'outcome'")]
    [InlineData("/history?from=yesterday", "'from'")]
    [InlineData("/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "before")]
    public async Task A_history_filter_that_does_not_parse_is_a_400_page_saying_why(string path, string why)
    {
        using var session = await DashboardSession.SignInAsync(fixture.Node, WebNode.ViewerKey);
        var response = await session.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(why, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identical_failures_are_grouped_by_job_and_error_and_the_stack_trace_is_shown_once()
    {
        using var session = await DashboardSession.SignInAsync(fixture.Node, WebNode.ViewerKey);
        var expected = await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'broken' AND NOT succeeded");

        var page = WebUtility.HtmlDecode(await session.PageAsync("/failures"));

        var groups = GroupPattern().Matches(page).Select(m => m.Value).ToList();
        var broken = Assert.Single(groups, g => g.Contains("pages.broken", StringComparison.Ordinal));
        Assert.True(expected >= DashboardPagesFixture.BrokenRuns, $"{expected} failures");
        Assert.Contains($">{expected}</a>", broken, StringComparison.Ordinal);
        Assert.Contains("Upstream refused the connection…", broken, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(page, Regex.Escape("at Upstream.Call() in Upstream.cs:line 42")));
        Assert.Equal(2, groups.Count);
    }

    [Fact]
    public async Task Times_are_shown_with_how_long_ago_durations_in_readable_units_and_a_manual_run_as_manual()
    {
        using var session = await DashboardSession.SignInAsync(fixture.Node, WebNode.OperatorKey);
        var triggered = await session.PostFormAsync("/jobs/pages/idle/trigger", new() { ["reason"] = "manual check" });
        Assert.Equal(HttpStatusCode.Redirect, triggered.StatusCode);
        await Poll.UntilAsync(async () => await fixture.Db.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'idle'") == 1, TimeSpan.FromSeconds(20), "the manual run");

        var idle = await session.PageAsync("/history?group=pages&job=idle");
        var job = await session.PageAsync("/jobs/pages/quick");
        var overview = await session.PageAsync("/");

        var row = Assert.Single(Rows(idle));
        Assert.Contains(">manual (Trigger now)<", row, StringComparison.Ordinal);
        Assert.DoesNotMatch(">DEFAULT\\.MT_", row);
        Assert.Matches(@"class=""ago"">(now|\d+ (s|min) ago)<", row);
        foreach (var html in new[] { idle, job, overview })
        {
            Assert.DoesNotMatch(@">\d{4,}(\.\d+)? ms<", html);
        }

        Assert.Matches(@"<b id=""p95-duration""><span title=""[\d.]+ ms"">\d+(\.\d)? (ms|s)</span></b>", job);
        Assert.Contains("Runs and failures per minute", overview, StringComparison.Ordinal);
        Assert.Contains("runs per minute", overview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_from_the_dashboard_needs_a_reason_and_a_confirmation()
    {
        using var session = await DashboardSession.SignInAsync(fixture.Node, WebNode.OperatorKey);
        var (triggerGroup, triggerName, at, attempts) = (await fixture.Db.ListAsync(
            "SELECT trigger_group, trigger_name, scheduled_fire_time, attempts FROM scheduler_occurrences WHERE job_name = 'broken' AND state = 'failed' ORDER BY scheduled_fire_time LIMIT 1",
            r => (r.GetString(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetInt32(3)))).Single();
        Dictionary<string, string> Form(params (string, string)[] extra)
        {
            var form = new Dictionary<string, string>
            {
                ["jobGroup"] = "pages",
                ["jobName"] = "broken",
                ["triggerGroup"] = triggerGroup,
                ["triggerName"] = triggerName,
                ["scheduledFireTime"] = at.UtcDateTime.ToString("o"),
            };
            foreach (var (k, v) in extra)
            {
                form[k] = v;
            }

            return form;
        }

        var failures = await session.PageAsync("/failures");
        await session.PostFormAsync("/occurrences/replay", Form(("confirm", "yes")));
        var refused = WebUtility.HtmlDecode(await session.PageAsync("/failures"));
        await session.PostFormAsync("/occurrences/replay", Form(("reason", "upstream is back")));
        await session.PostFormAsync("/occurrences/replay", Form(("reason", "   "), ("confirm", "yes")));

        var replayForm = ReplayFormPattern().Match(failures).Value;
        Assert.Matches(@"name=""reason""[^>]*\brequired\b", replayForm);
        Assert.Matches(@"name=""confirm"" value=""yes""[^>]*\brequired\b", replayForm);
        Assert.Contains("Nothing was done: this action needs a reason and its confirmation box ticked.", refused, StringComparison.Ordinal);
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM scheduler_audit WHERE action = 'replay'"));
        Assert.Equal(attempts, await AttemptsAsync());

        var done = await session.PostFormAsync("/occurrences/replay", Form(("reason", "upstream is back"), ("confirm", "yes")));

        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal(("upstream is back", "ok"), (await fixture.Db.ListAsync(
            "SELECT reason, outcome FROM scheduler_audit WHERE action = 'replay'", r => (r.GetString(0), r.GetString(1)))).Single());
        await Poll.UntilAsync(async () => await AttemptsAsync() == attempts + 1, TimeSpan.FromSeconds(20), "the replayed attempt");

        Task<int> AttemptsAsync() => fixture.Db.ScalarAsync<int>(
            $"SELECT attempts FROM scheduler_occurrences WHERE job_name = 'broken' AND trigger_name = '{triggerName}' AND scheduled_fire_time = '{at.UtcDateTime:o}'");
    }

    [Theory]
    [InlineData("/scheduler/pause", "pause-all")]
    [InlineData("/fire-instances/f-1/interrupt", "interrupt")]
    [InlineData("/occurrences/replay/bulk", "replay-dead-letters")]
    public async Task Every_destructive_action_is_refused_without_its_confirmation(string path, string action)
    {
        using var session = await DashboardSession.SignInAsync(fixture.Node, WebNode.OperatorKey);
        var refused = await session.PostFormAsync(path, new()
        {
            ["reason"] = "no confirmation",
            ["jobGroup"] = "pages",
            ["jobName"] = "broken",
            ["from"] = "2026-01-01T00:00:00Z",
            ["to"] = "2030-01-01T00:00:00Z",
        });
        var notice = WebUtility.HtmlDecode(await session.PageAsync("/"));

        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("Nothing was done: this action needs a reason and its confirmation box ticked.", notice, StringComparison.Ordinal);
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>($"SELECT count(*) FROM scheduler_audit WHERE action = '{action}'"));
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM qrtz_paused_trigger_grps"));
    }

    [Fact]
    public async Task Hostile_names_data_errors_logs_reasons_and_filters_come_out_encoded_on_every_page()
    {
        using var session = await DashboardSession.SignInAsync(fixture.Node, WebNode.OperatorKey);
        var hostile = DashboardPagesFixture.Hostile;
        var jobPath = $"/jobs/{Uri.EscapeDataString(hostile.Group)}/{Uri.EscapeDataString(hostile.Name)}";
        await session.PostFormAsync(jobPath + "/pause", new() { ["reason"] = "<script>alert('reason')</script>" });
        await session.PostFormAsync(jobPath + "/resume", []);
        var entry = await fixture.Db.ScalarAsync<string>("SELECT entry_id FROM qrtz_execution_history WHERE job_group = '<b>grp' LIMIT 1");
        var group = Uri.EscapeDataString(hostile.Group);
        var name = Uri.EscapeDataString(hostile.Name);
        string[] paths =
        [
            "/", "/jobs", jobPath, "/history?outcome=failed", $"/history?group={group}&job={name}", "/failures", $"/executions/{Uri.EscapeDataString(entry)}",
            "/audit", "/jobs?name=%3Cscript%3Ealert(3)%3C%2Fscript%3E", "/history?node=%3Cscript%3Ealert(4)", "/audit?target=%3Cscript%3Ealert(5)",
        ];

        foreach (var path in paths)
        {
            var response = await session.Client.GetAsync(new Uri(path, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode}");
            foreach (var raw in new[] { "<script>alert", "<img src=x", "<svg onload", "<b>grp", "<b>Frame", "<i>key" })
            {
                Assert.False(html.Contains(raw, StringComparison.OrdinalIgnoreCase), $"{path} has raw '{raw}'");
            }

            Assert.True(html.Contains("&lt;script&gt;alert(", StringComparison.Ordinal) || html.Contains("&lt;b&gt;grp", StringComparison.Ordinal),
                $"{path} shows the hostile values as text");
        }

        var job = await session.PageAsync(jobPath);
        var execution = await session.PageAsync($"/executions/{Uri.EscapeDataString(entry)}");
        Assert.Contains("&lt;script&gt;alert(&#x27;description&#x27;)&lt;/script&gt;", job, StringComparison.Ordinal);
        Assert.Contains("<code>&lt;i&gt;key</code>", job, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;data&#x27;)", execution, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Frame&lt;/b&gt;", execution, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#x27;reason&#x27;)", await session.PageAsync("/audit"), StringComparison.Ordinal);
    }

    private static List<string> Rows(string html) => RowPattern().Matches(html).Select(m => m.Value).ToList();

    [GeneratedRegex("<tr class=\"execution[^\"]*\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<tr class=\"failed failure-group\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex GroupPattern();

    [GeneratedRegex("<form method=\"post\" action=\"/occurrences/replay\".*?</form>", RegexOptions.Singleline)]
    private static partial Regex ReplayFormPattern();

    [GeneratedRegex("<time datetime=\"([^\"]+)\"")]
    private static partial Regex TimePattern();
}
