using System.Net;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Jobs;

/// <summary>The <c>sql</c> and <c>http</c> kinds, configured from configuration alone and run by a real node.</summary>
public sealed class BuiltInKindTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_sql_job_binds_its_parameters_and_commits_its_effect_with_the_occurrence()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("kind_sql");
        await db.ExecuteAsync("CREATE TABLE sql_effects (at timestamptz, node text, job text, fire text)");
        await using (await InProcessNode.StartAsync(db, "n1", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:touch:Type"] = "sql",
            ["Scheduler:Jobs:touch:Cron"] = "* * * * * ?",
            ["Scheduler:Jobs:touch:Sql"] = "INSERT INTO sql_effects VALUES (@scheduled_fire_time, @instance_id, @job_name, @fire_instance_id)",
            ["Scheduler:Jobs:touch:Timeout"] = "00:00:05",
        }))
        {
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM sql_effects") >= 2, Timeout, "two runs");
        }

        Assert.Equal(0L, await db.ScalarAsync<long>(
            """
            SELECT count(*) FROM sql_effects e
            WHERE e.node <> 'n1' OR e.job <> 'config.touch' OR e.at <> date_trunc('second', e.at)
               OR NOT EXISTS (SELECT 1 FROM scheduler_occurrences o
                              WHERE o.job_name = 'touch' AND o.scheduled_fire_time = e.at AND o.state = 'completed' AND o.fire_instance_id = e.fire)
            """));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM (SELECT at FROM sql_effects GROUP BY at HAVING count(*) > 1) d"));
        Assert.Equal("sql: 1 rows affected", await db.ScalarAsync<string>(
            "SELECT summary FROM scheduler_executions WHERE job_name = 'touch' AND succeeded LIMIT 1"));
    }

    [Fact]
    public async Task A_failing_sql_job_is_a_failed_execution_naming_the_SQLSTATE_and_leaves_no_effect()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("kind_sql_fail");
        await db.ExecuteAsync("CREATE TABLE sql_effects (n int)");
        await using (await InProcessNode.StartAsync(db, "n1", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:broken:Type"] = "sql",
            ["Scheduler:Jobs:broken:Cron"] = "* * * * * ?",
            ["Scheduler:Jobs:broken:Sql"] = "INSERT INTO sql_effects VALUES (1); SELECT 1 / 0;",
        }))
        {
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'broken'") >= 1,
                Timeout, "a failed run");
        }

        Assert.Contains("SQLSTATE 22012", await db.ScalarAsync<string>("SELECT error_message FROM qrtz_execution_history WHERE job_name = 'broken' LIMIT 1"),
            StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM sql_effects"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_occurrences WHERE job_name = 'broken' AND state <> 'failed'"));
    }

    [Fact]
    public async Task An_http_job_expands_secrets_from_the_environment_at_run_time_and_never_stores_them()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("kind_http");
        var secretName = $"SCHEDULER_TEST_TOKEN_{Guid.NewGuid():N}";
        var secret = Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(secretName, secret);
        using var server = new RecordingServer(HttpStatusCode.OK);
        await using (await InProcessNode.StartAsync(db, "n1", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:hook:Type"] = "http",
            ["Scheduler:Jobs:hook:Cron"] = "* * * * * ?",
            ["Scheduler:Jobs:hook:Method"] = "POST",
            ["Scheduler:Jobs:hook:Url"] = $"{server.Url}/hook?token=${{{secretName}}}",
            ["Scheduler:Jobs:hook:Headers:Authorization"] = $"Bearer ${{{secretName}}}",
            ["Scheduler:Jobs:hook:Body"] = "{\"ping\":true}",
            ["Scheduler:Jobs:hook:ExpectedStatus"] = "200",
        }))
        {
            await Poll.UntilAsync(() => Task.FromResult(server.Requests.Count >= 2), Timeout, "two calls");
        }

        var first = server.Requests.First();
        Assert.Equal($"Bearer {secret}", first.Authorization);
        Assert.Equal($"/hook?token={secret}", first.PathAndQuery);
        Assert.Equal("{\"ping\":true}", first.Body);
        Assert.StartsWith("scheduler/config.hook/config.hook/", first.IdempotencyKey, StringComparison.Ordinal);
        Assert.Equal(server.Requests.Count, server.Requests.Select(r => r.IdempotencyKey).Distinct().Count());
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_job_details WHERE position(@secret in encode(job_data, 'escape')) > 0", ("secret", secret)));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_execution_history WHERE position(@secret in coalesce(summary, '') || coalesce(error_message, '')) > 0", ("secret", secret)));
    }

    [Fact]
    public async Task An_unexpected_status_fails_the_http_job_with_the_status_and_no_query_string()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("kind_http_fail");
        using var server = new RecordingServer(HttpStatusCode.InternalServerError);
        await using (await InProcessNode.StartAsync(db, "n1", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:hook:Type"] = "http",
            ["Scheduler:Jobs:hook:Cron"] = "* * * * * ?",
            ["Scheduler:Jobs:hook:Url"] = $"{server.Url}/hook?token=do-not-log",
        }))
        {
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'hook'") >= 1,
                Timeout, "a failed call");
        }

        var error = await db.ScalarAsync<string>("SELECT error_message FROM qrtz_execution_history WHERE job_name = 'hook' LIMIT 1");
        Assert.Contains("answered 500", error, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-log", error, StringComparison.Ordinal);
    }
}
