using System.Net;
using System.Net.Http.Json;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

public sealed class ApiAuthorizationTests(WebNodeFixture fixture) : IClassFixture<WebNodeFixture>
{
    public static TheoryData<string> ReadEndpoints =>
    [
        "/api/nodes", "/api/jobs", "/api/jobs/web/idle", "/api/jobs/web/idle/statistics", "/api/triggers", "/api/running",
        "/api/executions", "/api/misfires", "/api/occurrences", "/api/audit", "/api/cron?expression=0+0+*+*+*+%3F",
    ];

    [Fact]
    public async Task Health_is_anonymous_and_names_no_secrets()
    {
        using var client = fixture.Node.Client();
        var live = await client.GetAsync(new Uri("/health/live", UriKind.Relative));
        var ready = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = await ready.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("\"database\"", body, StringComparison.Ordinal);
        Assert.Contains("\"quartz-scheduler\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Db.Name, body, StringComparison.Ordinal);
        Assert.DoesNotContain("Host=", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(WebNode.Sha256(WebNode.OperatorKey), body, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ReadEndpoints))]
    public async Task Every_api_endpoint_answers_401_problem_without_a_valid_key(string path)
    {
        using var anonymous = fixture.Node.Client();
        using var wrong = fixture.Node.Client("not-a-configured-key");

        foreach (var client in new[] { anonymous, wrong })
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        using var viewer = fixture.Node.Client(WebNode.ViewerKey);
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_viewer_reads_but_every_action_answers_403()
    {
        using var viewer = fixture.Node.Client(WebNode.ViewerKey);
        string[] actions =
        [
            "/api/jobs/web/idle/trigger", "/api/jobs/web/idle/pause", "/api/jobs/web/idle/resume", "/api/triggers/web/idle-trigger/pause",
            "/api/triggers/web/idle-trigger/resume", "/api/triggers/web/idle-trigger/reset", "/api/trigger-groups/web/pause",
            "/api/trigger-groups/web/resume", "/api/fire-instances/x/interrupt", "/api/occurrences/replay",
        ];

        foreach (var action in actions)
        {
            var response = await viewer.PostAsJsonAsync(action, new { reason = "viewer tries" });
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{action}: {response.StatusCode}");
        }

        // Refused, so nothing was done: the only rows are the refusals themselves (written within a second, aggregated per window).
        Assert.Equal(0, await fixture.Db.ScalarAsync<long>(
            "SELECT count(*) FROM scheduler_audit WHERE actor = 'test-viewer' AND action NOT IN ('sign-in', 'api-request')"));
        await Poll.UntilAsync(async () => await fixture.Db.ScalarAsync<long>(
                "SELECT count(*) FROM scheduler_audit WHERE actor = 'test-viewer' AND action = 'api-request' AND outcome LIKE 'refused: needs the operator role%'") >= 1,
            TimeSpan.FromSeconds(10), "the viewer's refused actions in the audit");
        Assert.Equal("WAITING", await fixture.Db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'idle-trigger'"));
    }

    [Fact]
    public async Task The_dashboard_sends_anonymous_users_to_sign_in()
    {
        using var client = fixture.Node.Client();
        var response = await client.GetAsync(new Uri("/jobs", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // A relative redirect: never an absolute URL built from the request's Host header.
        Assert.StartsWith("/login?returnUrl=", response.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_actions_need_the_antiforgery_token_and_the_operator_role()
    {
        using var op = await DashboardSession.SignInAsync(fixture.Node, WebNode.OperatorKey);
        var withoutToken = await op.Client.PostAsync(new Uri("/triggers/web/idle-trigger/pause", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["reason"] = "no token" }));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal("WAITING", await fixture.Db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'idle-trigger'"));

        using var viewer = await DashboardSession.SignInAsync(fixture.Node, WebNode.ViewerKey);
        var denied = await viewer.PostFormAsync("/triggers/web/idle-trigger/pause", new() { ["reason"] = "viewer" });
        Assert.Equal("/denied", denied.Headers.Location?.OriginalString);

        var done = await op.PostFormAsync("/triggers/web/idle-trigger/pause", new() { ["reason"] = "with token" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Equal("PAUSED", await fixture.Db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'idle-trigger'"));
        await op.PostFormAsync("/triggers/web/idle-trigger/resume", []);
        Assert.Equal("WAITING", await fixture.Db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'idle-trigger'"));
    }

    [Fact]
    public async Task A_wrong_key_does_not_sign_in_and_the_attempt_is_audited()
    {
        using var session = new DashboardSession(fixture.Node);
        var response = await session.TrySignInAsync("wrong-key");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(session.HasAuthCookie);
        await Poll.UntilAsync(async () => await fixture.Db.ScalarAsync<long>(
            "SELECT count(*) FROM scheduler_audit WHERE action = 'sign-in' AND outcome LIKE 'refused%'") >= 1, TimeSpan.FromSeconds(10), "the audited refusal");
    }
}
