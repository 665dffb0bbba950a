using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Fencing;

/// <summary>
/// Real node processes under faults: a node frozen past the cluster's failure threshold, and a node killed outright,
/// each while running a long job that requests recovery. Exactly one effect per occurrence either way.
/// </summary>
public sealed class FaultScenarioTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = LongJobScenario.Timeout;
    private static readonly string[] NodeIds = ["node-a", "node-b"];

    [Fact]
    public async Task A_node_stalled_past_the_threshold_and_resumed_does_not_duplicate_the_occurrence_recovered_elsewhere()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("fault_sigstop");
        var (nodes, victim, survivor, occurrence) = await StartWithLongJobRunningAsync(db);
        await using var a = nodes[0];
        await using var b = nodes[1];

        victim.Signal(SchedulerProcess.SigStop);
        try
        {
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<string?>(
                    "SELECT claimed_by FROM scheduler_occurrences WHERE state = 'completed' AND scheduled_fire_time = @at AND trigger_name = @t",
                    ("at", occurrence.At), ("t", occurrence.Trigger)) == survivor.Name,
                Timeout, "the survivor to recover and complete the frozen node's occurrence");
        }
        finally
        {
            victim.Signal(SchedulerProcess.SigCont);
        }

        await Poll.UntilAsync(
            async () => await db.ScalarAsync<long>(
                "SELECT count(*) FROM scheduler_suppressed_duplicates WHERE node = @n AND scheduled_fire_time = @at",
                ("n", victim.Name), ("at", occurrence.At)) == 1,
            Timeout, "the resumed node's late run to be suppressed");
        // The late run is recorded as skipped. Whether its reason says "taken over" or "already completed" depends on
        // whether SIGSTOP landed before or after its claim: the outcome, not the wording, is what this test pins.
        try
        {
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<long>(
                    "SELECT count(*) FROM scheduler_executions WHERE node = @n AND result = 'skipped' AND summary LIKE 'duplicate suppressed:%'",
                    ("n", victim.Name)) >= 1,
                TimeSpan.FromSeconds(20), "the suppressed run's history row");
        }
        catch (TimeoutException)
        {
            var rows = await db.ListAsync("SELECT node || ' ' || result || ' ' || coalesce(summary, '-') || ' ' || coalesce(error_message, '-') FROM scheduler_executions ORDER BY fired_at", r => r.GetString(0));
            Assert.Fail("history: " + string.Join(" | ", rows) + Environment.NewLine + victim.Describe());
        }

        Assert.Equal(1L, await LongJobScenario.HeartbeatsAsync(db, occurrence));
        Assert.Equal(0L, await LongJobScenario.DuplicateEffectsAsync(db));
        await StopAsync(a, b);
    }

    [Fact]
    public async Task A_killed_nodes_recoverable_work_completes_exactly_once_elsewhere()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("fault_kill9");
        var (nodes, victim, survivor, occurrence) = await StartWithLongJobRunningAsync(db);
        await using var a = nodes[0];
        await using var b = nodes[1];

        var killedAt = DateTimeOffset.UtcNow;
        victim.Signal(SchedulerProcess.SigKill);
        await Poll.UntilAsync(
            async () => await db.ScalarAsync<string?>(
                "SELECT claimed_by FROM scheduler_occurrences WHERE state = 'completed' AND scheduled_fire_time = @at AND trigger_name = @t",
                ("at", occurrence.At), ("t", occurrence.Trigger)) == survivor.Name,
            Timeout, "the survivor to recover and complete the killed node's occurrence");

        var recoveredAt = await db.ScalarAsync<DateTime>(
            "SELECT claimed_at FROM scheduler_occurrences WHERE scheduled_fire_time = @at AND trigger_name = @t", ("at", occurrence.At), ("t", occurrence.Trigger));
        output.WriteLine($"kill -9 to recovery claim: {(new DateTimeOffset(recoveredAt, TimeSpan.Zero) - killedAt).TotalSeconds:0.0} s");
        Assert.Equal(1L, await LongJobScenario.HeartbeatsAsync(db, occurrence));
        Assert.Equal(0L, await LongJobScenario.DuplicateEffectsAsync(db));
        survivor.Terminate();
        await survivor.WaitForExitAsync(Timeout);
        Assert.True(survivor.ExitCode == 0, survivor.Describe());
    }

    private static Task<(SchedulerProcess[] Nodes, SchedulerProcess Victim, SchedulerProcess Survivor, (DateTime At, string Trigger) Occurrence)>
        StartWithLongJobRunningAsync(TestDatabase db) => LongJobScenario.StartAsync(db, NodeIds,
        [
            ("Quartz__JobStore__Clustering__CheckinInterval", "00:00:01"),
            ("Quartz__JobStore__Clustering__CheckinMisfireThreshold", "00:00:02"),
        ]);

    private static async Task StopAsync(params SchedulerProcess[] nodes)
    {
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
}
