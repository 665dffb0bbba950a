using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Cluster;

/// <summary>
/// A node told to stop while PostgreSQL is unreachable, before or during its drain: it exits with code 3 within
/// <c>DrainTimeout + InterruptGrace + 5 s</c> (the bound README documents), and the cluster recovers what it held.
/// </summary>
public sealed class StopWithoutDatabaseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // DrainTimeout 3 s + InterruptGrace 2 s + the 5 s exit margin, plus 5 s for process teardown on a loaded machine.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(15);

    private static readonly (string, string)[] ShortStop =
    [
        ("Scheduler__Shutdown__DrainTimeout", "00:00:03"),
        ("Scheduler__Shutdown__InterruptGrace", "00:00:02"),
        ("Quartz__JobStore__Clustering__CheckinInterval", "00:00:01"),
        ("Quartz__JobStore__Clustering__CheckinMisfireThreshold", "00:00:02"),
    ];

    [Fact]
    public async Task A_node_told_to_stop_while_PostgreSQL_is_down_exits_with_code_3_within_its_stop_deadline()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("stop_db_down");
        await using var node = SchedulerProcess.Start("node-1", ["run", "--urls", "http://127.0.0.1:0"], NodeEnvironment.For(db, "node-1", ShortStop));
        await Poll.UntilAsync(
            async () => await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat WHERE instance_id = 'node-1'") > 0,
            Timeout, "the node to fire");

        await TestPostgres.StopAsync();
        var stoppedAt = DateTimeOffset.UtcNow;
        try
        {
            node.Terminate();
            await node.WaitForExitAsync(ExitBound);
            output.WriteLine($"stop with PostgreSQL down (drain 3 s + grace 2 s + 5 s): exit code {node.ExitCode} after {(DateTimeOffset.UtcNow - stoppedAt).TotalSeconds:0.0} s");
        }
        finally
        {
            await TestPostgres.StartAsync();
            db.DataSource.Clear();
        }

        Assert.True(node.ExitCode == 3, node.Describe());
    }

    [Fact]
    public async Task A_node_whose_database_vanishes_mid_drain_exits_within_its_stop_deadline_and_its_work_is_recovered_once()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("stop_db_mid_drain");
        (string, string)[] settings =
        [
            .. ShortStop,
            ("Scheduler__Jobs__heartbeat__Cron", "0/5 * * * * ?"),
            ("Scheduler__Jobs__heartbeat__Data__workMs", "8000"),
            ("Scheduler__Jobs__heartbeat__RequestsRecovery", "true"),
        ];
        await using var node = SchedulerProcess.Start("node-a", ["run", "--urls", "http://127.0.0.1:0"], NodeEnvironment.For(db, "node-a", settings));
        (DateTime At, string Trigger)? running = null;
        await Poll.UntilAsync(async () =>
        {
            var rows = await db.ListAsync(
                "SELECT sched_time, trigger_name FROM qrtz_fired_triggers WHERE state = 'EXECUTING' AND instance_name = 'node-a' LIMIT 1",
                r => (new DateTime(r.GetInt64(0), DateTimeKind.Utc), r.GetString(1)));
            running = rows.Count == 1 ? rows[0] : null;
            return running is not null;
        }, Timeout, "a long heartbeat to be executing");

        node.Terminate();
        var terminatedAt = DateTimeOffset.UtcNow;
        await Poll.UntilAsync(() => Task.FromResult(node.StandardOutput.Contains("Stopping:", StringComparison.Ordinal) || node.HasExited),
            Timeout, "the node to start draining");
        await TestPostgres.StopAsync();
        try
        {
            await node.WaitForExitAsync(ExitBound);
            output.WriteLine($"PostgreSQL gone mid-drain (drain 3 s + grace 2 s + 5 s): exit code {node.ExitCode} after {(DateTimeOffset.UtcNow - terminatedAt).TotalSeconds:0.0} s");
        }
        finally
        {
            await TestPostgres.StartAsync();
            db.DataSource.Clear();
        }

        Assert.True(node.ExitCode == 3, node.Describe());
        await using var survivor = SchedulerProcess.Start("node-b", ["run", "--urls", "http://127.0.0.1:0"], NodeEnvironment.For(db, "node-b", settings));
        await Poll.UntilAsync(
            async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM scheduler_occurrences WHERE state = 'completed' AND trigger_name = @t AND scheduled_fire_time = @at",
                ("t", running!.Value.Trigger), ("at", running.Value.At)) == 1,
            Timeout, "the other node to recover and complete the interrupted occurrence");
        Assert.Equal(1L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM scheduler_heartbeat WHERE scheduled_fire_time = @at", ("at", running!.Value.At)));
        survivor.Terminate();
        await survivor.WaitForExitAsync(Timeout);
        Assert.True(survivor.ExitCode == 0, survivor.Describe());
    }
}
