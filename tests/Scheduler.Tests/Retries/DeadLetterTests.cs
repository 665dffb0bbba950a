using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Retries;

/// <summary>Dead letters as operators meet them: the API, a bulk replay (audited), the CLI.</summary>
public sealed class DeadLetterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Dead_letters_are_listed_with_attempts_error_and_log_replayed_in_bulk_and_printed_by_the_cli()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("dead_letters");
        await using var node = await WebNode.StartAsync(db, "dl-node", addKinds: k => k.AddJobsOf(typeof(AttributedJob).Assembly));
        using var op = node.Client(WebNode.OperatorKey);
        var scheduler = await node.SchedulerAsync();
        var started = DateTimeOffset.UtcNow.AddSeconds(-1);
        await scheduler.ScheduleJob(JobBuilder.Create<AttributedJob>().WithIdentity("doomed", "dl").StoreDurably().Build(),
            [TriggerBuilder.Create().WithIdentity("doomed-once", "dl").StartNow().Build()], default);

        JsonElement dead = default;
        await Poll.UntilAsync(async () =>
        {
            var list = JsonDocument.Parse(await op.GetStringAsync(new Uri("/api/occurrences?state=dead&group=dl&job=doomed", UriKind.Relative))).RootElement;
            dead = list.EnumerateArray().FirstOrDefault();
            return list.GetArrayLength() == 1 && dead.GetProperty("log").ValueKind == JsonValueKind.String;
        }, Timeout, "the dead letter with its log");
        Assert.Equal(3, dead.GetProperty("attempts").GetInt32());
        Assert.Contains("planned transient failure", dead.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await op.GetAsync(new Uri("/api/occurrences?state=buried", UriKind.Relative))).StatusCode);

        var cli = await SchedulerProcess.RunAsync(["dead-letters", "--job", "dl.doomed", "--since", "1h", "--json"],
            new Dictionary<string, string?> { ["ConnectionStrings__Scheduler"] = db.ConnectionString }, Timeout);
        Assert.Equal(0, cli.ExitCode);
        Assert.Equal(dead.GetProperty("scheduledFireTime").GetDateTimeOffset(),
            JsonDocument.Parse(cli.StandardOutput).RootElement.EnumerateArray().Single().GetProperty("scheduledFireTime").GetDateTimeOffset());

        var replay = await op.PostAsJsonAsync("/api/occurrences/replay/bulk", new
        {
            jobGroup = "dl",
            jobName = "doomed",
            from = started,
            to = DateTimeOffset.UtcNow.AddMinutes(1),
            reason = "upstream fixed",
        });

        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await replay.Content.ReadAsStringAsync()).RootElement.GetProperty("replayed").GetInt32());
        await Poll.UntilAsync(async () => await db.ScalarAsync<int>(
            "SELECT attempts FROM scheduler_occurrences WHERE job_name = 'doomed' AND state = 'dead'") == 4, Timeout, "the replayed attempt");
        var audit = await db.ListAsync("SELECT action, reason, outcome, detail->>'count' FROM scheduler_audit", r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        Assert.Equal(("replay-dead-letters", "upstream fixed", "ok", "1"), Assert.Single(audit));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_occurrences WHERE job_name = 'doomed'"));

        using var dashboard = await DashboardSession.SignInAsync(node, WebNode.OperatorKey);
        var failures = await dashboard.PageAsync("/failures");
        Assert.Contains("id=\"dead-letters\"", failures, StringComparison.Ordinal);
        Assert.Contains("planned transient failure", failures, StringComparison.Ordinal);
        await dashboard.PostFormAsync("/occurrences/replay/bulk", new Dictionary<string, string>
        {
            ["jobGroup"] = "dl",
            ["jobName"] = "doomed",
            ["from"] = started.ToString("o"),
            ["to"] = DateTimeOffset.UtcNow.AddMinutes(1).ToString("o"),
            ["reason"] = "upstream fixed",
            ["confirm"] = "yes",
        });
        await Poll.UntilAsync(async () => await db.ScalarAsync<int>(
            "SELECT attempts FROM scheduler_occurrences WHERE job_name = 'doomed' AND state = 'dead'") == 5, Timeout, "the dashboard's replay");
    }
}
