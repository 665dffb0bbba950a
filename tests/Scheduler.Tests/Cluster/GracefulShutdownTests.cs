using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cluster;

/// <summary>SIGTERM as an orchestrator sends it: running work finishes within the drain deadline, or is interrupted after it.</summary>
public sealed class GracefulShutdownTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SIGTERM_during_a_running_job_lets_it_finish_records_it_in_history_and_exits_zero()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("shutdown_drain");
        await using var node = SchedulerProcess.Start("node-1", ["run", "--urls", "http://127.0.0.1:0"], NodeEnvironment.For(db, "node-1",
            ("Scheduler__Jobs__heartbeat__Cron", "0/2 * * * * ?"),
            ("Scheduler__Jobs__heartbeat__Data__workMs", "4000"),
            ("Scheduler__Shutdown__DrainTimeout", "00:00:30")));

        var fireInstanceId = await FirstExecutingAsync(db, node);
        node.Terminate();
        await node.WaitForExitAsync(Timeout);

        Assert.True(node.ExitCode == 0, node.Describe());
        Assert.Contains("waiting up to", node.StandardOutput, StringComparison.Ordinal);
        Assert.True(await db.ScalarAsync<bool>(
            "SELECT succeeded FROM qrtz_execution_history WHERE fire_instance_id = @id", ("id", fireInstanceId)), node.Describe());
        Assert.Equal(1L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM scheduler_heartbeat WHERE fire_instance_id = @id", ("id", fireInstanceId)));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_fired_triggers WHERE instance_name = 'node-1'"));
    }

    [Fact]
    public async Task A_job_still_running_at_the_drain_deadline_is_interrupted_and_the_node_still_exits_zero()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("shutdown_interrupt");
        await using var node = SchedulerProcess.Start("node-1", ["run", "--urls", "http://127.0.0.1:0"], NodeEnvironment.For(db, "node-1",
            ("Scheduler__Jobs__heartbeat__Cron", "0/2 * * * * ?"),
            ("Scheduler__Jobs__heartbeat__Data__workMs", "300000"),
            ("Scheduler__Shutdown__DrainTimeout", "00:00:02"),
            ("Scheduler__Shutdown__InterruptGrace", "00:00:05")));

        var fireInstanceId = await FirstExecutingAsync(db, node);
        node.Terminate();
        // The job would run five minutes: exiting within this wait means the drain deadline was honoured.
        await node.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(node.ExitCode == 0, node.Describe());
        Assert.Contains("interrupting", node.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM scheduler_heartbeat WHERE fire_instance_id = @id", ("id", fireInstanceId)));
    }


    private static async Task<string> FirstExecutingAsync(TestDatabase db, SchedulerProcess node)
    {
        string? id = null;
        await Poll.UntilAsync(async () =>
        {
            Assert.False(node.HasExited, node.Describe());
            id = await db.ScalarAsync<string?>(
                "SELECT entry_id FROM qrtz_fired_triggers WHERE instance_name = 'node-1' AND state = 'EXECUTING' ORDER BY fired_time LIMIT 1");
            return id is not null;
        }, Timeout, "a heartbeat to be executing");
        return id!;
    }
}
