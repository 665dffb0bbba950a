using System.Net;
using System.Text.Json;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Security;

/// <summary>
/// Findings 4, 5 and 6 of the security review: where sign-in may send a browser, what sign-out ends, how long a session
/// lives, and what a flood of sign-in attempts costs.
/// </summary>
public sealed class DashboardSessionSecurityTests
{
    [Fact]
    public async Task Sign_in_redirects_only_to_a_local_path_and_never_answers_500()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_redirect");
        await using var node = await WebNode.StartAsync(db, "redirect-node", new Dictionary<string, string?>
        {
            ["Scheduler:Web:SignInAttemptsPerMinute"] = "100",
        });
        string[] hostile =
        [
            "/\t/evil.example", "/\n/evil.example", "/a\r\nSet-Cookie: x=y", "/\v/evil.example", "/\u3000evil.example",
            "//evil.example", "/\\evil.example", "https://evil.example/", "/%09/evil.example\u202e", " /jobs",
        ];
        foreach (var returnUrl in hostile)
        {
            var response = await SignInAsync(node, WebNode.OperatorKey, returnUrl);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{Show(returnUrl)}: {(int)response.StatusCode}");
            Assert.Equal("/", response.Headers.Location?.OriginalString);
        }

        var local = await SignInAsync(node, WebNode.OperatorKey, "/jobs?group=config");
        Assert.Equal("/jobs?group=config", local.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Sign_out_ends_the_session_for_every_copy_of_its_cookie_on_every_node()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_signout");
        await using var a = await WebNode.StartAsync(db, "signout-a");
        await using var b = await WebNode.StartAsync(db, "signout-b");
        using var session = await DashboardSession.SignInAsync(a, WebNode.ViewerKey);
        using var copy = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
        var cookie = string.Join("; ", session.Cookies.Select(c => $"{c.Name}={c.Value}"));
        Assert.Equal(HttpStatusCode.OK, (await Get(copy, new Uri(b.Address, "/jobs"), cookie)).StatusCode);

        var token = await session.TokenAsync("/jobs");
        var signOut = await session.Client.PostAsync(new Uri("/logout", UriKind.Relative),
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));

        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        foreach (var node in new[] { a, b })
        {
            var after = await Get(copy, new Uri(node.Address, "/jobs"), cookie);
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
            Assert.StartsWith("/login", after.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }

        Assert.Equal("signed out", await db.ScalarAsync<string>("SELECT ended_reason FROM scheduler_sessions"));
    }

    [Fact]
    public async Task A_session_ends_at_its_absolute_lifetime_however_often_it_is_used()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_lifetime");
        await using var node = await WebNode.StartAsync(db, "lifetime-node", new Dictionary<string, string?>
        {
            ["Scheduler:Auth:SessionLifetime"] = "00:00:04",
        });
        using var session = await DashboardSession.SignInAsync(node, WebNode.ViewerKey);
        var signedIn = DateTimeOffset.UtcNow;

        // As the page's own refresh would: a request every half second, which a sliding session would keep alive for ever.
        HttpStatusCode status;
        do
        {
            status = (await session.Client.GetAsync(new Uri("/", UriKind.Relative))).StatusCode;
            await Task.Delay(500);
        }
        while (status == HttpStatusCode.OK && DateTimeOffset.UtcNow - signedIn < TimeSpan.FromSeconds(15));

        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Equal(HttpStatusCode.Redirect, (await session.Client.GetAsync(new Uri("/jobs", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_pages_live_updates_refresh_no_cookie_and_no_session_and_stop_at_the_absolute_lifetime()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_live_updates");
        await using var node = await WebNode.StartAsync(db, "live-node", new Dictionary<string, string?>
        {
            ["Scheduler:Auth:SessionLifetime"] = "00:00:04",
        });
        using var session = await DashboardSession.SignInAsync(node, WebNode.ViewerKey);
        await session.PageAsync("/");
        var expires = await db.ScalarAsync<DateTime>("SELECT expires_at FROM scheduler_sessions");
        var signedIn = DateTimeOffset.UtcNow;

        // As dashboard.js polls (every 10 s in a browser; every half second here), with its header.
        var cookiesSet = new List<string>();
        HttpStatusCode status;
        do
        {
            using var poll = new HttpRequestMessage(HttpMethod.Get, new Uri("/history", UriKind.Relative));
            poll.Headers.Add(Scheduler.Web.Dashboard.DashboardEndpoints.PollHeader, "1");
            var response = await session.Client.SendAsync(poll);
            status = response.StatusCode;
            if (status == HttpStatusCode.OK && response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                cookiesSet.AddRange(set);
            }

            await Task.Delay(500);
        }
        while (status == HttpStatusCode.OK && DateTimeOffset.UtcNow - signedIn < TimeSpan.FromSeconds(15));

        Assert.Empty(cookiesSet);
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.Equal(expires, await db.ScalarAsync<DateTime>("SELECT expires_at FROM scheduler_sessions"));
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_client_and_their_refusals_aggregated_in_the_audit()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_ratelimit");
        await using var node = await WebNode.StartAsync(db, "ratelimit-node", new Dictionary<string, string?>
        {
            ["Scheduler:Web:RefusalAuditWindow"] = "00:00:02",
        });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await SignInAsync(node, $"wrong-key-{i}", "/")).StatusCode);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 20)), statuses);
        await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_audit WHERE action = 'sign-in'") == 2,
            TimeSpan.FromSeconds(15), "the first refusal and the aggregate row");
        var rows = await db.ListAsync("SELECT outcome, coalesce((detail->>'attempts')::int, 1) FROM scheduler_audit WHERE action = 'sign-in' ORDER BY id",
            r => (r.GetString(0), r.GetInt32(1)));
        Assert.StartsWith("refused:", rows[0].Item1, StringComparison.Ordinal);
        Assert.Equal(30, rows.Sum(r => r.Item2));
    }

    [Fact]
    public async Task Unauthenticated_and_forbidden_API_requests_are_audited_aggregated_per_client()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_api_refusals");
        await using var node = await WebNode.StartAsync(db, "refusal-node", new Dictionary<string, string?>
        {
            ["Scheduler:Web:RefusalAuditWindow"] = "00:00:02",
        });
        using var anonymous = node.Client();
        using var viewer = node.Client(WebNode.ViewerKey);
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/jobs", UriKind.Relative))).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsync(new Uri("/api/jobs/config/x/pause", UriKind.Relative), null)).StatusCode);
        }

        await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_audit WHERE action = 'api-request'") == 4,
            TimeSpan.FromSeconds(15), "two rows per client and key");
        var totals = await db.ListAsync(
            "SELECT actor, sum(coalesce((detail->>'attempts')::int, 1))::int FROM scheduler_audit WHERE action = 'api-request' GROUP BY actor ORDER BY actor",
            r => (r.GetString(0), r.GetInt32(1)));
        Assert.Equal([("anonymous", 5), ("test-viewer", 5)], totals);
    }

    [Fact]
    public async Task Sign_in_while_the_database_is_unreachable_is_a_clear_503_page()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_db_down");
        await using var node = await WebNode.StartAsync(db, "dbdown-node");
        var session = new DashboardSession(node);
        var token = await session.TokenAsync("/login");
        await using (var admin = new Npgsql.NpgsqlConnection(TestEnvironment.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var cut = new Npgsql.NpgsqlCommand(
                $"ALTER DATABASE \"{db.Name}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db.Name}'", admin);
            await cut.ExecuteNonQueryAsync();
        }

        HttpResponseMessage response;
        try
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            response = await session.Client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["key"] = WebNode.OperatorKey,
                ["returnUrl"] = "/",
            }));
        }
        finally
        {
            await using var admin = new Npgsql.NpgsqlConnection(TestEnvironment.AdminConnectionString);
            await admin.OpenAsync();
            await using var restore = new Npgsql.NpgsqlCommand($"ALTER DATABASE \"{db.Name}\" ALLOW_CONNECTIONS true", admin);
            await restore.ExecuteNonQueryAsync();
            session.Dispose();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("database cannot be reached", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<HttpResponseMessage> SignInAsync(WebNode node, string key, string returnUrl)
    {
        using var session = new DashboardSession(node);
        var token = await session.TokenAsync("/login");
        return await session.Client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["key"] = key,
            ["returnUrl"] = returnUrl,
        }));
    }

    private static async Task<HttpResponseMessage> Get(HttpClient client, Uri url, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    private static string Show(string value) => JsonSerializer.Serialize(value);
}
