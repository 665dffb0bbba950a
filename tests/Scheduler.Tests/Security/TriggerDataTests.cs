using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Security;

/// <summary>
/// Finding 1 of the security review: data given when triggering a job by hand must never change what the job does. An
/// operator key acts on jobs; it does not program the node.
/// </summary>
public sealed class TriggerDataTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly RecordingServer receiver = new(HttpStatusCode.OK);
    private readonly RecordingServer elsewhere = new(HttpStatusCode.OK);
    private readonly string secretName = $"SCHEDULER_TEST_SECRET_{Guid.NewGuid():N}";
    private readonly string secret = Guid.NewGuid().ToString("N");
    private TestDatabase db = null!;
    private WebNode node = null!;
    private HttpClient op = null!;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(secretName, secret);
        db = await TestDatabase.CreateMigratedAsync(nameof(TriggerDataTests));
        await db.ExecuteAsync("CREATE TABLE effects (what text); CREATE TABLE pwned (what text)");
        node = await WebNode.StartAsync(db, "data-node", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:cleanup:Type"] = "sql",
            ["Scheduler:Jobs:cleanup:Cron"] = "0 0 3 1 1 ? 2099",
            ["Scheduler:Jobs:cleanup:Sql"] = "INSERT INTO effects VALUES ('configured')",
            ["Scheduler:Jobs:hook:Type"] = "http",
            ["Scheduler:Jobs:hook:Cron"] = "0 0 3 1 1 ? 2099",
            ["Scheduler:Jobs:hook:Method"] = "POST",
            ["Scheduler:Jobs:hook:Url"] = $"{receiver.Url}/hook",
            ["Scheduler:Jobs:hook:Body"] = "{\"configured\":true}",
            ["Scheduler:Jobs:hook:Data:batch"] = "100",
            ["Scheduler:Jobs:hook:SecretData:0"] = "token",
        });
        op = node.Client(WebNode.OperatorKey);
    }

    public async Task DisposeAsync()
    {
        op.Dispose();
        await node.DisposeAsync();
        await db.DisposeAsync();
        receiver.Dispose();
        elsewhere.Dispose();
        Environment.SetEnvironmentVariable(secretName, null);
    }

    [Theory]
    [InlineData("cleanup", "sql", "INSERT INTO pwned VALUES ('from the API')")]
    [InlineData("cleanup", "SQL", "INSERT INTO pwned VALUES ('from the API')")]
    [InlineData("cleanup", "Connection", "Other")]
    [InlineData("cleanup", "statementtimeout", "1.00:00:00")]
    [InlineData("hook", "URL", "http://127.0.0.1:9/elsewhere")]
    [InlineData("hook", "headers", "{\"X-Leak\":\"${ConnectionStrings__Scheduler}\"}")]
    [InlineData("hook", "Body", "changed")]
    [InlineData("hook", "method", "DELETE")]
    [InlineData("hook", "Batch", "1000000")]
    [InlineData("hook", "scheduler.replay.triggerGroup", "scheduler-replays")]
    [InlineData("hook", "Scheduler.SecretData", "")]
    public async Task Data_naming_a_key_the_job_owns_is_refused_with_400_naming_it_and_nothing_runs(string job, string key, string value)
    {
        var response = await op.PostAsJsonAsync($"/api/jobs/config/{job}/trigger",
            new { data = new Dictionary<string, string> { [key] = value }, reason = "attempt" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"'data.{key}'", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_fired_triggers"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_execution_history"));
        var audit = await db.ScalarAsync<string>("SELECT outcome FROM scheduler_audit WHERE action = 'trigger' ORDER BY id DESC LIMIT 1");
        Assert.StartsWith("refused:", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sql_job_runs_its_configured_statement_even_when_a_trigger_carries_another()
    {
        // Not through the API (which refuses it): a trigger stored by any other path must not change the statement either.
        var scheduler = await node.SchedulerAsync();
        await scheduler.TriggerJob(new JobKey("cleanup", "config"), new JobDataMap { ["sql"] = "INSERT INTO pwned VALUES ('trigger data')" });

        await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM effects") == 1, Timeout, "the configured statement");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pwned"));
    }

    [Fact]
    public async Task An_http_job_calls_its_configured_request_and_never_expands_placeholders_from_trigger_data()
    {
        var scheduler = await node.SchedulerAsync();
        await scheduler.TriggerJob(new JobKey("hook", "config"), new JobDataMap
        {
            ["url"] = $"{elsewhere.Url}/?cs=${{{secretName}}}",
            ["body"] = $"${{{secretName}}}",
            ["headers"] = $"{{\"Authorization\":\"${{{secretName}}}\"}}",
        });

        await Poll.UntilAsync(() => Task.FromResult(receiver.Requests.Count == 1), Timeout, "the configured call");
        var call = Assert.Single(receiver.Requests);
        Assert.Equal("/hook", call.PathAndQuery);
        Assert.Equal("{\"configured\":true}", call.Body);
        Assert.Null(call.Authorization);
        Assert.Empty(elsewhere.Requests);
    }

    [Fact]
    public async Task Accepted_data_is_audited_with_its_values_and_secret_values_only_as_a_hash()
    {
        var response = await op.PostAsJsonAsync("/api/jobs/config/hook/trigger",
            new { data = new Dictionary<string, string> { ["note"] = "rerun for ticket 42", ["token"] = "s3cr3t-value" }, reason = "ticket 42" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var detail = JsonDocument.Parse(await db.ScalarAsync<string>(
            "SELECT detail::text FROM scheduler_audit WHERE action = 'trigger' AND outcome = 'ok'")).RootElement;
        Assert.Equal("rerun for ticket 42", detail.GetProperty("note").GetString());
        Assert.Equal("sha256:" + WebNode.Sha256("s3cr3t-value"), detail.GetProperty("token").GetString());
        await Poll.UntilAsync(() => Task.FromResult(receiver.Requests.Count == 1), Timeout, "the manual run");
        Assert.DoesNotContain("s3cr3t-value", await db.ScalarAsync<string>("SELECT string_agg(detail::text, ' ') FROM scheduler_audit"), StringComparison.Ordinal);
    }
}
