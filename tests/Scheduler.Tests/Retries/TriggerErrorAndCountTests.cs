using System.Text.Json;
using Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Retries;

/// <summary>Why a trigger is in ERROR, where operators and DBAs read it; and job counts that agree with the history.</summary>
public sealed class TriggerErrorAndCountTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_job_that_cannot_be_built_leaves_its_cause_for_the_api_the_dba_view_and_reset_which_shows_it_first()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("trigger_error");
        await using var node = await WebNode.StartAsync(db, "err-node");
        using var viewer = node.Client(WebNode.ViewerKey);
        var scheduler = await node.SchedulerAsync();
        await scheduler.ScheduleJob(JobBuilder.Create<UnbuildableJob>().WithIdentity("broken", "ue").StoreDurably().Build(),
            [TriggerBuilder.Create().WithIdentity("broken-trigger", "ue").StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()).Build()],
            default);

        JsonElement trigger = default;
        await Poll.UntilAsync(async () =>
        {
            var items = JsonDocument.Parse(await viewer.GetStringAsync(new Uri("/api/triggers?state=error", UriKind.Relative))).RootElement.GetProperty("items");
            trigger = items.EnumerateArray().FirstOrDefault();
            return items.GetArrayLength() == 1 && trigger.GetProperty("errorCause").ValueKind == JsonValueKind.String;
        }, Timeout, "the trigger in ERROR with its cause");
        var cause = trigger.GetProperty("errorCause").GetString()!;
        Assert.Contains(nameof(UnbuildableJob.IMissingService), cause, StringComparison.Ordinal);
        Assert.Equal(cause, await db.ScalarAsync<string>("SELECT cause FROM scheduler_triggers_in_error WHERE trigger_name = 'broken-trigger'"));

        var reset = await SchedulerProcess.RunAsync(["reset", "ue.broken-trigger", "--reason", "fixed the registration"],
            new Dictionary<string, string?> { ["ConnectionStrings__Scheduler"] = db.ConnectionString }, Timeout);

        Assert.Equal(0, reset.ExitCode);
        Assert.Contains(cause, reset.StandardOutput, StringComparison.Ordinal);
        Assert.True(reset.StandardOutput.IndexOf(cause, StringComparison.Ordinal) < reset.StandardOutput.IndexOf("Reset ue.broken-trigger", StringComparison.Ordinal),
            reset.StandardOutput);
        Assert.Equal(cause, await db.ScalarAsync<string>("SELECT detail->>'cause' FROM scheduler_audit WHERE action = 'reset-trigger' AND outcome = 'ok'"));
    }

    [Fact]
    public async Task Run_and_failure_counts_of_the_api_the_cli_and_the_job_status_view_agree_with_the_history()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("job_counts");
        await using (var node = await WebNode.StartAsync(db, "count-node", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:flaky:Type"] = "AttributedJob",
            ["Scheduler:Jobs:flaky:Cron"] = "* * * * * ?",
        }, k => k.AddJobsOf(typeof(AttributedJob).Assembly)))
        {
            // A runtime job under Quartz's own retry policy: Quartz's counters leave its retried failures out.
            var scheduler = await node.SchedulerAsync();
            await scheduler.ScheduleJob(JobBuilder.Create<Schedules.AlwaysFailingJob>().WithIdentity("quartz-retried", "rt").StoreDurably().Build(),
                [TriggerBuilder.Create().WithIdentity("quartz-retried", "rt").WithCronSchedule("0/2 * * * * ?")
                    .WithRetryPolicy(RetryPolicy.Fixed(2, TimeSpan.FromMilliseconds(300))).Build()], default);
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'quartz-retried' AND NOT succeeded") >= 6, Timeout, "retried failures");
        }

        var history = await db.ListAsync(
            "SELECT job_name, count(*), count(*) FILTER (WHERE NOT succeeded) FROM qrtz_execution_history GROUP BY job_name ORDER BY 1",
            r => (r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        var view = await db.ListAsync("SELECT job_name, run_count, failure_count FROM scheduler_job_status ORDER BY 1",
            r => (r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        var cli = await SchedulerProcess.RunAsync(["jobs", "--json"],
            new Dictionary<string, string?> { ["ConnectionStrings__Scheduler"] = db.ConnectionString }, Timeout);
        var listed = JsonDocument.Parse(cli.StandardOutput).RootElement.GetProperty("items").EnumerateArray()
            .Select(j => (j.GetProperty("name").GetString()!, j.GetProperty("runs").GetInt64(), j.GetProperty("failures").GetInt64()))
            .OrderBy(j => j.Item1, StringComparer.Ordinal).ToList();

        Assert.Equal(history, view);
        Assert.Equal(history, listed);
        Assert.All(history, h => Assert.True(h.Item3 >= 2, $"{h}: expected several failures"));
    }
}
