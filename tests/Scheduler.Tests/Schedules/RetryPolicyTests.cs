using Microsoft.Extensions.Logging.Abstractions;
using Scheduler.Core.Schedules;
using Scheduler.Data.Migrations;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Schedules;

/// <summary>A retry policy from configuration, as Quartz 4.7.3 applies it.</summary>
public sealed class RetryPolicyTests
{
    [Fact]
    public async Task A_failed_fire_is_retried_by_the_configured_policy()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("retry_first");

        await using (await StartFailingAsync(db))
        {
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'flaky'") >= 2,
                TimeSpan.FromSeconds(30), "a failure and its retry");
        }

        var first = await ExecutionsAsync(db);
        Assert.Equal((0, true), (first[0].Attempt, first[0].RetryScheduled));
        Assert.Equal((1, false), (first[1].Attempt, first[1].RetryScheduled));
        Assert.InRange(first[1].FiredAt - first[0].FiredAt, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3.9));
    }

    private static Task<InProcessNode> StartFailingAsync(TestDatabase db) => InProcessNode.StartAsync(db, "n1", new Dictionary<string, string?>
    {
        ["Scheduler:Jobs:flaky:Type"] = "failing",
        ["Scheduler:Jobs:flaky:Cron"] = "0/4 * * * * ?",
        ["Scheduler:Jobs:flaky:Retry:Policy"] = "Fixed",
        ["Scheduler:Jobs:flaky:Retry:Attempts"] = "1",
        ["Scheduler:Jobs:flaky:Retry:Delay"] = "00:00:01",
    }, k => k.Add(new JobKind("failing", typeof(AlwaysFailingJob))));

    private static Task<List<(int Attempt, bool RetryScheduled, TimeSpan FiredAt)>> ExecutionsAsync(TestDatabase db) => db.ListAsync(
        "SELECT retry_attempt, retry_scheduled, fired_time FROM qrtz_execution_history WHERE job_name = 'flaky' ORDER BY fired_time",
        r => (r.GetInt32(0), r.GetBoolean(1), TimeSpan.FromTicks(r.GetInt64(2))));
}
