using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Scheduler.Core.Schedules;
using Scheduler.Jobs;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Security;

/// <summary>Finding 8 of the security review: the smaller holes, each tried against a real node.</summary>
public sealed partial class HardeningTests(WebNodeFixture fixture) : IClassFixture<WebNodeFixture>
{
    [Fact]
    public async Task Every_response_carries_the_security_headers_and_pages_run_only_scripts_and_styles_from_the_node()
    {
        using var anonymous = fixture.Node.Client();
        using var viewer = fixture.Node.Client(WebNode.ViewerKey);
        using var session = await DashboardSession.SignInAsync(fixture.Node, WebNode.ViewerKey);
        var responses = new[]
        {
            await anonymous.GetAsync(new Uri("/login", UriKind.Relative)),
            await anonymous.GetAsync(new Uri("/api/jobs", UriKind.Relative)),
            await viewer.GetAsync(new Uri("/api/jobs", UriKind.Relative)),
            await viewer.GetAsync(new Uri("/api/jobs/web/beat/statistics?window=1e308d", UriKind.Relative)),
            await viewer.GetAsync(new Uri("/api/jobs/nope/nope", UriKind.Relative)),
            await session.Client.GetAsync(new Uri("/", UriKind.Relative)),
        };

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.OK],
            responses.Select(r => r.StatusCode));
        foreach (var response in responses)
        {
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"script-src[^;]*'unsafe-inline'", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.True(response.Headers.CacheControl?.NoStore, $"{response.RequestMessage?.RequestUri}: no-store");
        }

        // The page's live-update script and stylesheet are files of the node; nothing inline would be allowed to run.
        var policy = string.Join(";", responses[^1].Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", policy, StringComparison.Ordinal);
        var page = await responses[^1].Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/assets/dashboard.js\" defer></script>", page, StringComparison.Ordinal);
        Assert.Empty(InlineScriptPattern().Matches(page));
        Assert.DoesNotContain(" style=", page, StringComparison.Ordinal);
        var script = await session.Client.GetAsync(new Uri("/assets/dashboard.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("1e308d")]
    [InlineData("NaNh")]
    [InlineData("-5m")]
    [InlineData("Infinityd")]
    public async Task A_statistics_window_that_does_not_fit_is_a_400_never_a_500(string window)
    {
        using var viewer = fixture.Node.Client(WebNode.ViewerKey);
        var response = await viewer.GetAsync(new Uri($"/api/jobs/web/beat/statistics?window={window}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Invisible_formatting_characters_are_refused_in_names_and_reasons()
    {
        using var op = fixture.Node.Client(WebNode.OperatorKey);
        var reason = await op.PostAsJsonAsync("/api/jobs/web/idle/pause", new { reason = "routine \u202Eenod tnemtsujda" });
        var name = await op.PostAsJsonAsync($"/api/jobs/web/{Uri.EscapeDataString("idle\u200B")}/pause", new { reason = "x" });

        Assert.Equal(HttpStatusCode.BadRequest, reason.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, name.StatusCode);
        Assert.Equal("WAITING", await fixture.Db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'idle-trigger'"));
    }

    [Fact]
    public void Configuration_refuses_names_the_API_cannot_address_or_that_read_differently_than_they_are()
    {
        var values = new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:a/b:Type"] = "heartbeat",
            ["Scheduler:Jobs:a/b:Cron"] = "0 0 3 * * ?",
            ["Scheduler:Jobs:c:Type"] = "heartbeat",
            ["Scheduler:Jobs:c:Cron"] = "0 0 3 * * ?",
            ["Scheduler:Jobs:c:Group"] = "ops\u202Esvc",
            ["Scheduler:Jobs:c:Data:scheduler.entry"] = "spoof",
        };
        var (definitions, _) = ScheduleReader.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var problems = new ScheduleValidator(ShippedJobKinds.Create()).Validate(definitions);

        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:a/b:Name:", StringComparison.Ordinal) && p.Contains("'/'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:c:Group:", StringComparison.Ordinal) && p.Contains("U+202E", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Scheduler:Jobs:c:Data:scheduler.entry:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_secret_an_http_receiver_echoes_back_never_lands_in_history()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_echo");
        var secretName = $"SCHEDULER_TEST_ECHO_{Guid.NewGuid():N}";
        var secret = $"tok/{Guid.NewGuid():N}+=";
        Environment.SetEnvironmentVariable(secretName, secret);
        try
        {
            using var ok = new RecordingServer(HttpStatusCode.OK, echo: true);
            using var failing = new RecordingServer(HttpStatusCode.BadGateway, echo: true);
            await using (await InProcessNode.StartAsync(db, "echo-node", new Dictionary<string, string?>
            {
                ["Scheduler:Jobs:ok:Type"] = "http",
                ["Scheduler:Jobs:ok:Cron"] = "* * * * * ?",
                ["Scheduler:Jobs:ok:Method"] = "POST",
                ["Scheduler:Jobs:ok:Url"] = $"{ok.Url}/hook?token=${{{secretName}}}",
                ["Scheduler:Jobs:ok:Headers:Authorization"] = $"Bearer ${{{secretName}}}",
                ["Scheduler:Jobs:ok:Body"] = $"{{\"token\":\"${{{secretName}}}\"}}",
                ["Scheduler:Jobs:failing:Type"] = "http",
                ["Scheduler:Jobs:failing:Cron"] = "* * * * * ?",
                ["Scheduler:Jobs:failing:Url"] = $"{failing.Url}/hook?token=${{{secretName}}}",
                ["Scheduler:Jobs:failing:Headers:Authorization"] = $"Bearer ${{{secretName}}}",
            }))
            {
                await Poll.UntilAsync(async () => await db.ScalarAsync<long>(
                    "SELECT count(DISTINCT job_name) FROM qrtz_execution_history WHERE job_name IN ('ok', 'failing')") == 2,
                    TimeSpan.FromSeconds(30), "a run of each job");
            }

            var stored = await db.ScalarAsync<string>(
                "SELECT string_agg(coalesce(summary, '') || ' ' || coalesce(error_message, '') || ' ' || coalesce(execution_log, ''), ' ') FROM qrtz_execution_history");
            Assert.Contains("you sent", stored, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
            Assert.DoesNotContain(Uri.EscapeDataString(secret), stored, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(secretName, null);
        }
    }

    [Theory]
    [InlineData(false, "127.0.0.1", false)]
    [InlineData(true, "203.0.113.7", true)]
    public async Task Forwarded_headers_are_believed_only_from_configured_proxies(bool proxyConfigured, string auditedSource, bool hsts)
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_forwarded");
        var settings = new Dictionary<string, string?> { ["Scheduler:Web:RefusalAuditWindow"] = "00:00:01" };
        if (proxyConfigured)
        {
            settings["Scheduler:Web:KnownProxies:0"] = "127.0.0.1";
        }

        await using var node = await WebNode.StartAsync(db, "proxy-node", settings);
        using var client = node.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/jobs", UriKind.Relative));
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Host = "scheduler.example"; // HSTS is never sent to localhost names

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(hsts, response.Headers.Contains("Strict-Transport-Security"));
        await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_audit WHERE action = 'api-request'") == 1,
            TimeSpan.FromSeconds(10), "the audited refusal");
        Assert.Equal(auditedSource, await db.ScalarAsync<string>("SELECT source FROM scheduler_audit WHERE action = 'api-request'"));
    }

    [Fact]
    public async Task With_CookieSecure_Always_every_cookie_the_node_sets_is_Secure()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_cookies");
        await using var node = await WebNode.StartAsync(db, "cookie-node", new Dictionary<string, string?>
        {
            ["Scheduler:Auth:CookieSecure"] = "Always",
            ["Scheduler:Web:KnownProxies:0"] = "127.0.0.1",
        });
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false }) { BaseAddress = node.Address };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/login", UriKind.Relative));
        request.Headers.Add("X-Forwarded-Proto", "https"); // behind a TLS proxy, as CookieSecure=Always expects

        var login = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var cookies = login.Headers.GetValues("Set-Cookie").ToList();
        Assert.Contains(cookies, c => c.StartsWith("scheduler.csrf=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));

        // The same over plain http is a misconfiguration ASP.NET Core refuses with a 500: even that carries the headers.
        var plain = await client.GetAsync(new Uri("/login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.InternalServerError, plain.StatusCode);
        Assert.Equal("nosniff", plain.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("frame-ancestors 'none'", plain.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>", RegexOptions.Singleline)]
    private static partial Regex InlineScriptPattern();
}
