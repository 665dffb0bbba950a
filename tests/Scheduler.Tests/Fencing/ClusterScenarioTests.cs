using System.Globalization;
using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Fencing;

/// <summary>
/// Three real nodes firing many every-second triggers, audited against every expected (trigger, fire time): steady
/// state, a node killed with -9, and a rolling restart. CI runs a short window; scripts/faults.sh sets
/// SCHEDULER_SCENARIO_SECONDS for the long one. Each prints its audit (missing, duplicated, lateness).
/// </summary>
public sealed class ClusterScenarioTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly string[] NodeIds = ["node-1", "node-2", "node-3"];

    private static int WindowSeconds =>
        int.TryParse(Environment.GetEnvironmentVariable("SCHEDULER_SCENARIO_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 20;

    [Fact]
    public async Task Steady_state_every_fire_time_of_fifty_triggers_runs_exactly_once_on_three_nodes()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("scenario_steady");
        var (nodes, triggers) = await StartClusterAsync(db, triggerCount: 50);
        try
        {
            var from = DateTimeOffset.UtcNow.AddSeconds(2);
            await Task.Delay(TimeSpan.FromSeconds(WindowSeconds));
            var to = DateTimeOffset.UtcNow.AddSeconds(-3);
            var audit = await ProbeNodes.SettledAuditAsync(db, triggers, from, to);

            output.WriteLine($"steady state, 3 nodes, 50 triggers/s, {WindowSeconds} s: {audit}");
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes);
        }
    }

    [Fact]
    public async Task A_node_killed_with_minus_9_loses_no_fire_time_and_duplicates_none()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("scenario_kill");
        var (nodes, triggers) = await StartClusterAsync(db, triggerCount: 20);
        try
        {
            var from = DateTimeOffset.UtcNow.AddSeconds(2);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var killedAt = DateTimeOffset.UtcNow;
            nodes[0].Signal(SchedulerProcess.SigKill);
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(WindowSeconds, 15)));
            var to = DateTimeOffset.UtcNow.AddSeconds(-3);
            var audit = await ProbeNodes.SettledAuditAsync(db, triggers, from, to);
            var takeover = await db.ScalarAsync<double>(
                """
                SELECT coalesce(extract(epoch FROM min(fired_at) - @killed), -1) FROM scheduler_heartbeat
                WHERE fired_at > @killed AND instance_id <> 'node-1' AND fired_at - scheduled_fire_time > interval '1 second'
                """, ("killed", killedAt.UtcDateTime));

            output.WriteLine($"kill -9 of 1 of 3 nodes, 20 triggers/s: {audit}; first late fire taken over {takeover:0.0} s after the kill");
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes.Skip(1));
        }
    }

    [Fact]
    public async Task A_rolling_restart_of_all_three_nodes_leaves_no_gap_and_no_duplicate()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("scenario_rolling");
        var (nodes, triggers) = await StartClusterAsync(db, triggerCount: 20);
        try
        {
            var from = DateTimeOffset.UtcNow.AddSeconds(2);
            for (var i = 0; i < nodes.Count; i++)
            {
                nodes[i].Terminate();
                await nodes[i].WaitForExitAsync(Timeout);
                Assert.True(nodes[i].ExitCode == 0, nodes[i].Describe());
                await nodes[i].DisposeAsync();
                nodes[i] = ProbeNodes.Start(db, NodeIds[i], triggers.Count);
                await Poll.UntilAsync(() => Task.FromResult(nodes[i].StandardOutput.Contains("started.", StringComparison.Ordinal)),
                    Timeout, $"{NodeIds[i]} to start again");
            }

            await Task.Delay(TimeSpan.FromSeconds(3));
            var to = DateTimeOffset.UtcNow.AddSeconds(-3);
            var audit = await ProbeNodes.SettledAuditAsync(db, triggers, from, to);

            output.WriteLine($"rolling restart of 3 nodes, 20 triggers/s: {audit}");
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes);
        }
    }

    private static async Task<(List<SchedulerProcess> Nodes, IReadOnlyList<string> Triggers)> StartClusterAsync(TestDatabase db, int triggerCount)
    {
        var nodes = NodeIds.Select(id => ProbeNodes.Start(db, id, triggerCount)).ToList();
        await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state") == 3, Timeout, "three nodes to check in");
        return (nodes, ProbeNodes.Triggers(triggerCount));
    }
}
