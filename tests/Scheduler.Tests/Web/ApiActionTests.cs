using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary>Every action through the API, each checked in the store and in the audit table.</summary>
public sealed class ApiActionTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private WebNode node = null!;
    private HttpClient op = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateMigratedAsync(nameof(ApiActionTests));
        node = await WebNode.StartAsync(db, "action-node", addKinds: k => k.AddJobsOf(typeof(FlakyJob).Assembly));
        op = node.Client(WebNode.OperatorKey);
    }

    public async Task DisposeAsync()
    {
        op.Dispose();
        await node.DisposeAsync();
        await db.DisposeAsync();
    }

    [Fact]
    public async Task Trigger_now_runs_the_job_once_with_the_given_data_and_is_audited()
    {
        await AddJobAsync("once", null);

        var response = await op.PostAsJsonAsync("/api/jobs/act/once/trigger", new { data = new { workMs = "1" }, reason = "smoke test" });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Poll.UntilAsync(async () => await db.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'once'") == 1, TimeSpan.FromSeconds(20), "the manual run");
        var audit = await db.ListAsync("SELECT actor, role, action, target, reason, detail::text, outcome FROM scheduler_audit",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6)));
        Assert.Equal(("test-operator", "operator", "trigger", "act.once", "smoke test", "{\"workMs\": \"1\"}", "ok"), Assert.Single(audit));
    }

    [Fact]
    public async Task Pause_and_resume_record_who_and_why_on_the_trigger_and_in_the_audit()
    {
        await AddJobAsync("nightly", "0 0 2 * * ?");

        await PostOkAsync("/api/jobs/act/nightly/pause", new { reason = "database maintenance" });
        var trigger = (await GetAsync("/api/triggers?group=act&name=nightly")).GetProperty("items")[0];
        Assert.Equal("Paused", trigger.GetProperty("state").GetString());
        Assert.Equal("database maintenance", trigger.GetProperty("pause").GetProperty("reason").GetString());
        Assert.Equal("test-operator", trigger.GetProperty("pause").GetProperty("requestedBy").GetString());
        Assert.Equal(["act.nightly"], Names(await GetAsync("/api/jobs?state=paused")));

        await PostOkAsync("/api/jobs/act/nightly/resume", new { reason = "done" });
        Assert.Equal("Normal", (await GetAsync("/api/triggers?group=act&name=nightly")).GetProperty("items")[0].GetProperty("state").GetString());
        var actions = await db.ListAsync("SELECT action || ':' || coalesce(reason, '') FROM scheduler_audit ORDER BY id", r => r.GetString(0));
        Assert.Equal(["pause-job:database maintenance", "resume-job:done"], actions);
    }

    [Fact]
    public async Task A_trigger_group_pauses_and_resumes_as_one()
    {
        await AddJobAsync("a", "0 0 2 * * ?");
        await AddJobAsync("b", "0 0 3 * * ?");

        await PostOkAsync("/api/trigger-groups/act/pause", new { reason = "freeze" });
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'act' AND trigger_state = 'PAUSED'"));
        await PostOkAsync("/api/trigger-groups/act/resume", null);
        Assert.Equal(2, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'act' AND trigger_state = 'WAITING'"));
    }

    [Fact]
    public async Task A_trigger_in_error_is_reset_and_a_healthy_one_is_a_409()
    {
        await AddJobAsync("broken", "0 0 2 * * ?");
        await db.ExecuteAsync("UPDATE qrtz_triggers SET trigger_state = 'ERROR' WHERE trigger_name = 'broken'");
        Assert.Equal(["broken"], (await GetAsync("/api/triggers?state=error")).GetProperty("items").EnumerateArray().Select(t => t.GetProperty("name").GetString()));

        await PostOkAsync("/api/triggers/act/broken/reset", new { reason = "fixed the config" });
        var again = await op.PostAsJsonAsync("/api/triggers/act/broken/reset", new { });

        Assert.Equal("WAITING", await db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'broken'"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.StartsWith("refused:", await db.ScalarAsync<string>("SELECT outcome FROM scheduler_audit ORDER BY id DESC LIMIT 1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_running_fire_instance_is_interrupted_and_recorded_as_cancelled()
    {
        await AddJobAsync("long", null);
        await PostAsync("/api/jobs/act/long/trigger", new { data = new { workMs = "60000" } }, HttpStatusCode.Accepted);
        string? id = null;
        await Poll.UntilAsync(async () =>
        {
            var running = await GetAsync("/api/running");
            id = running.EnumerateArray().Select(f => f.GetProperty("fireInstanceId").GetString()).FirstOrDefault();
            return id is not null;
        }, TimeSpan.FromSeconds(20), "the long run to start");

        await PostOkAsync($"/api/fire-instances/{id}/interrupt", new { reason = "stuck" });

        await Poll.UntilAsync(async () => (await GetAsync("/api/executions?group=act&job=long")).GetProperty("items").GetArrayLength() == 1,
            TimeSpan.FromSeconds(20), "the interrupted run to be recorded");
        var execution = (await GetAsync("/api/executions?group=act&job=long")).GetProperty("items")[0];
        Assert.Equal("cancelled", execution.GetProperty("result").GetString());
        Assert.True(execution.GetProperty("durationMs").GetDouble() < 30_000);
        var missing = await op.PostAsJsonAsync("/api/fire-instances/no-such-firing/interrupt", new { });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_failed_occurrence_keeps_its_log_and_is_replayed_as_the_same_occurrence_once()
    {
        var scheduler = await node.SchedulerAsync();
        var job = new JobKey("flaky", "act");
        await scheduler.ScheduleJob(JobBuilder.Create().OfType<FlakyJob>().WithIdentity(job).StoreDurably().Build(),
            [TriggerBuilder.Create().WithIdentity("flaky-once", "act").StartNow().Build()], default);
        JsonElement failed = default;
        await Poll.UntilAsync(async () =>
        {
            var list = await GetAsync("/api/occurrences?state=failed&group=act&job=flaky");
            failed = list.EnumerateArray().FirstOrDefault();
            return list.GetArrayLength() == 1;
        }, TimeSpan.FromSeconds(20), "the failed occurrence");
        await Poll.UntilAsync(async () => (await GetAsync("/api/executions?group=act&job=flaky&outcome=failed")).GetProperty("items").GetArrayLength() == 1,
            TimeSpan.FromSeconds(20), "the failed run's history row");
        var failedRun = (await GetAsync("/api/executions?group=act&job=flaky&outcome=failed")).GetProperty("items")[0];
        var withLog = await GetAsync($"/api/executions/{failedRun.GetProperty("entryId").GetString()}");
        Assert.Contains("Upstream refused the call for act.flaky", withLog.GetProperty("log").GetString(), StringComparison.Ordinal);
        Assert.Contains("planned first failure", withLog.GetProperty("error").GetString(), StringComparison.Ordinal);
        var body = new
        {
            jobGroup = "act",
            jobName = "flaky",
            triggerGroup = "act",
            triggerName = "flaky-once",
            scheduledFireTime = failed.GetProperty("scheduledFireTime").GetDateTimeOffset(),
            reason = "upstream fixed",
        };

        await PostAsync("/api/occurrences/replay", body, HttpStatusCode.Accepted);

        await Poll.UntilAsync(async () => await db.ScalarAsync<string>(
            "SELECT state FROM scheduler_occurrences WHERE job_name = 'flaky'") == "completed", TimeSpan.FromSeconds(20), "the replay to complete");
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT attempts FROM scheduler_occurrences WHERE job_name = 'flaky'"));
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_occurrences WHERE job_name = 'flaky'"));
        var second = await op.PostAsJsonAsync("/api/occurrences/replay", body);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
    }

    [Fact]
    public async Task Action_input_is_validated_and_unknown_keys_are_404()
    {
        await AddJobAsync("valid", null);
        var tooMuchData = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", i => "v");

        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync("/api/jobs/act/ghost/pause", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await op.PostAsJsonAsync("/api/triggers/act/ghost/reset", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/api/jobs/act/valid/trigger", new { data = tooMuchData })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/api/jobs/act/valid/pause", new { reason = new string('r', 501) })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.PostAsJsonAsync("/api/occurrences/replay", new { jobGroup = "act" })).StatusCode);
        using var malformed = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        var bad = await op.PostAsync(new Uri("/api/jobs/act/valid/trigger", UriKind.Relative), malformed);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE job_name = 'valid' AND trigger_group <> 'act'"));
    }

    private async Task AddJobAsync(string name, string? cron)
    {
        var scheduler = await node.SchedulerAsync();
        var job = JobBuilder.Create().OfType<Scheduler.Jobs.Heartbeat.HeartbeatJob>().WithIdentity(name, "act").StoreDurably().Build();
        if (cron is null)
        {
            await scheduler.AddJob(job, new AddJobOptions { Replace = true }, default);
            return;
        }

        await scheduler.ScheduleJob(job, [TriggerBuilder.Create().WithIdentity(name, "act").WithCronSchedule(cron).Build()], default);
    }

    private Task PostOkAsync(string path, object? body) => PostAsync(path, body, HttpStatusCode.NoContent);

    private async Task PostAsync(string path, object? body, HttpStatusCode expected)
    {
        var response = await op.PostAsJsonAsync(path, body);
        Assert.True(response.StatusCode == expected, $"{path}: {response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonElement> GetAsync(string path) =>
        JsonDocument.Parse(await op.GetStringAsync(new Uri(path, UriKind.Relative))).RootElement.Clone();

    private static string[] Names(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(j => $"{j.GetProperty("group").GetString()}.{j.GetProperty("name").GetString()}")];
}
