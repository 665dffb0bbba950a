using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Faults;

/// <summary>
/// Prompt failover through node locks (<c>Scheduler:Failover</c>): two node processes, each holding its own lock and waiting
/// on its peer's, running an 8 s job that requests recovery. The check-in threshold is set long, so only the lock path can
/// recover a killed node early; a frozen node keeps its lock and is left to the threshold, and one whose lock session alone
/// ends takes its lock again and is left alone.
/// </summary>
public sealed class NodeLockFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = LongJobScenario.Timeout;
    private static readonly string[] NodeIds = ["lock-a", "lock-b"];

    private const string PeerWaits =
        """
        SELECT count(*) FROM pg_locks
         WHERE locktype = 'advisory' AND NOT granted AND mode = 'ShareLock'
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """;

    [Fact]
    public async Task A_killed_nodes_recoverable_work_is_recovered_as_soon_as_its_lock_goes_long_before_the_check_in_threshold_and_runs_once()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("lock_kill9");
        // Interval + threshold 90 s: the regular check-in cannot recover the killed node within this test's 30 s.
        var (nodes, victim, survivor, occurrence) = await StartWithLongJobRunningAsync(db, checkinInterval: "00:00:30", threshold: "00:01:00");
        await using var a = nodes[0];
        await using var b = nodes[1];

        var killedAt = DateTimeOffset.UtcNow;
        victim.Signal(SchedulerProcess.SigKill);
        try
        {
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<string?>(
                    "SELECT claimed_by FROM scheduler_occurrences WHERE state = 'completed' AND scheduled_fire_time = @at AND trigger_name = @t",
                    ("at", occurrence.At), ("t", occurrence.Trigger)) == survivor.Name,
                TimeSpan.FromSeconds(30), "the survivor to recover the killed node's occurrence from its released lock and complete it");
        }
        catch (TimeoutException e)
        {
            Assert.Fail(e.Message + Environment.NewLine + survivor.Describe() + Environment.NewLine + victim.Describe());
        }

        var recoveredAt = await db.ScalarAsync<DateTime>(
            "SELECT claimed_at FROM scheduler_occurrences WHERE scheduled_fire_time = @at AND trigger_name = @t", ("at", occurrence.At), ("t", occurrence.Trigger));
        output.WriteLine($"kill -9 to recovery claim: {(new DateTimeOffset(recoveredAt, TimeSpan.Zero) - killedAt).TotalSeconds:0.0} s");
        Assert.Contains($"Node {victim.Name} is gone", survivor.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(1L, await LongJobScenario.HeartbeatsAsync(db, occurrence));
        Assert.Equal(0L, await LongJobScenario.DuplicateEffectsAsync(db));
        survivor.Terminate();
        await survivor.WaitForExitAsync(Timeout);
        Assert.True(survivor.ExitCode == 0, survivor.Describe());
    }

    [Fact]
    public async Task A_frozen_node_keeps_its_lock_so_only_the_check_in_threshold_recovers_it_and_its_late_run_is_suppressed()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("lock_sigstop");
        var (nodes, victim, survivor, occurrence) = await StartWithLongJobRunningAsync(db, checkinInterval: "00:00:01", threshold: "00:00:06");
        await using var a = nodes[0];
        await using var b = nodes[1];

        var stoppedAt = DateTimeOffset.UtcNow;
        victim.Signal(SchedulerProcess.SigStop);
        try
        {
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<string?>(
                    "SELECT claimed_by FROM scheduler_occurrences WHERE state = 'completed' AND scheduled_fire_time = @at AND trigger_name = @t",
                    ("at", occurrence.At), ("t", occurrence.Trigger)) == survivor.Name,
                Timeout, "the survivor to recover and complete the frozen node's occurrence after the threshold");
            // Frozen, not dead: its sessions stayed open, so both locks are still held and both waits still pending.
            Assert.True(await db.ScalarAsync<long>(PeerWaits) == 2, survivor.Describe());
        }
        finally
        {
            victim.Signal(SchedulerProcess.SigCont);
        }

        var recoveredAt = await db.ScalarAsync<DateTime>(
            "SELECT claimed_at FROM scheduler_occurrences WHERE scheduled_fire_time = @at AND trigger_name = @t", ("at", occurrence.At), ("t", occurrence.Trigger));
        var afterStop = new DateTimeOffset(recoveredAt, TimeSpan.Zero) - stoppedAt;
        output.WriteLine($"SIGSTOP to recovery claim: {afterStop.TotalSeconds:0.0} s");
        // The lock path would have taken well under a second; the threshold (1 s + 6 s past the last check-in) takes this long.
        Assert.True(afterStop >= TimeSpan.FromSeconds(5), $"recovered {afterStop.TotalSeconds:0.0} s after SIGSTOP: before the threshold");
        Assert.DoesNotContain("is gone", survivor.StandardOutput, StringComparison.Ordinal);

        await Poll.UntilAsync(
            async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM scheduler_suppressed_duplicates WHERE node = @n AND scheduled_fire_time = @at",
                ("n", victim.Name), ("at", occurrence.At)) == 1,
            Timeout, "the resumed node's late run to be suppressed");
        Assert.Equal(1L, await LongJobScenario.HeartbeatsAsync(db, occurrence));
        Assert.Equal(0L, await LongJobScenario.DuplicateEffectsAsync(db));
        foreach (var node in nodes)
        {
            node.Terminate();
        }

        foreach (var node in nodes)
        {
            await node.WaitForExitAsync(Timeout);
            Assert.True(node.ExitCode == 0, node.Describe());
        }
    }

    [Fact]
    public async Task A_node_whose_lock_session_alone_is_ended_takes_its_lock_again_and_is_not_recovered()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("lock_blip");
        var (nodes, victim, survivor, occurrence) = await StartWithLongJobRunningAsync(db, checkinInterval: "00:00:30", threshold: "00:01:00");
        await using var a = nodes[0];
        await using var b = nodes[1];

        // What a network blip or a DBA's pg_terminate_backend does to one connection: the victim's other sessions stay.
        Assert.True(await db.ScalarAsync<bool>(
            """
            SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'advisory' AND l.granted AND l.mode = 'ExclusiveLock' AND a.application_name = @n
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """, ("n", victim.Name)));
        await Poll.UntilAsync(
            () => Task.FromResult(survivor.StandardOutput.Contains($"Node {victim.Name} lost its node lock session and took the lock again", StringComparison.Ordinal)),
            Timeout, "the survivor to see the victim take its lock again");
        await Poll.UntilAsync(async () => await db.ScalarAsync<long>(PeerWaits) == 2, Timeout, "the survivor to wait on the victim's lock again");

        Assert.DoesNotContain("is gone", survivor.StandardOutput, StringComparison.Ordinal);
        Assert.NotEqual(0L, await db.ScalarAsync<long>(
            "SELECT last_checkin_time FROM qrtz_scheduler_state WHERE instance_name = @n", ("n", victim.Name)));
        await Poll.UntilAsync(
            async () => await db.ScalarAsync<string?>(
                "SELECT claimed_by FROM scheduler_occurrences WHERE state = 'completed' AND scheduled_fire_time = @at AND trigger_name = @t",
                ("at", occurrence.At), ("t", occurrence.Trigger)) == victim.Name,
            Timeout, "the victim to complete its own occurrence");
        Assert.Equal(1L, await LongJobScenario.HeartbeatsAsync(db, occurrence));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_suppressed_duplicates"));
    }

    private static Task<(SchedulerProcess[] Nodes, SchedulerProcess Victim, SchedulerProcess Survivor, (DateTime At, string Trigger) Occurrence)>
        StartWithLongJobRunningAsync(TestDatabase db, string checkinInterval, string threshold) => LongJobScenario.StartAsync(db, NodeIds,
        [
            ("Quartz__JobStore__Clustering__CheckinInterval", checkinInterval),
            ("Quartz__JobStore__Clustering__CheckinMisfireThreshold", threshold),
            ("Quartz__JobStore__MisfireThreshold", "00:05:00"),
            ("Scheduler__Failover__PeerRefreshInterval", "00:00:01"),
        ],
        () => Poll.UntilAsync(async () => await db.ScalarAsync<long>(PeerWaits) == 2, Timeout, "each node to wait on the other's lock"));
}
