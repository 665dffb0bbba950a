using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Faults;

/// <summary>
/// One node's network to PostgreSQL cut or slowed (a TCP proxy in the test process) while another node keeps its own:
/// the others take over, nothing runs twice, nothing is lost, and the cut node rejoins by itself.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Fault = ScenarioWindow.Or(TimeSpan.FromSeconds(8));
    private static readonly (string, string)[] Settings =
    [
        ("Quartz__JobStore__Clustering__CheckinInterval", "00:00:01"),
        ("Quartz__JobStore__Clustering__CheckinMisfireThreshold", "00:00:02"),
    ];

    [Fact]
    public async Task A_node_cut_off_from_PostgreSQL_is_taken_over_runs_nothing_twice_and_rejoins_when_the_network_heals()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("partition_cut");
        await using var proxy = new TcpFaultProxy(new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString).Port);
        var triggers = ProbeNodes.Triggers(10);
        // The node to be cut starts first: under light load the node that fires keeps acquiring, so it holds the work.
        (string, string)[] inFlight = [.. Settings, ("Scheduler__Jobs__heartbeat__Data__workMs", "300")];
        var nodes = new List<SchedulerProcess>
        {
            ProbeNodes.Start(db, "node-cut", triggers.Count, [.. inFlight, ("ConnectionStrings__Scheduler", proxy.Route(db.ConnectionString))]),
        };
        try
        {
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat") > 0, Timeout, "node-cut to fire");
            nodes.Add(ProbeNodes.Start(db, "node-1", triggers.Count, inFlight));
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state") == 2, Timeout, "two nodes");
            var from = DateTimeOffset.UtcNow.AddSeconds(1);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var cutAt = DateTimeOffset.UtcNow;
            proxy.Blackhole();
            await Task.Delay(Fault);
            proxy.Heal();
            var healedAt = DateTimeOffset.UtcNow;
            var ready = await NodeHealth.UntilAsync(nodes[0], r => r.IsReady, Timeout, "ready again after the network healed");
            var rejoined = DateTimeOffset.UtcNow - healedAt;
            await Task.Delay(TimeSpan.FromSeconds(3));
            var to = DateTimeOffset.UtcNow.AddSeconds(-2);

            var audit = await ProbeNodes.SettledAuditAsync(db, triggers, from, to);
            var takeover = await db.ScalarAsync<double>(
                "SELECT coalesce(extract(epoch FROM min(started_at) - @cut), -1) FROM scheduler_heartbeat WHERE instance_id = 'node-1' AND started_at > @cut",
                ("cut", cutAt.UtcDateTime));
            var cutRanBefore = await db.ScalarAsync<long>(
                "SELECT count(*) FROM scheduler_heartbeat WHERE instance_id = 'node-cut' AND scheduled_fire_time BETWEEN @from AND @cut",
                ("from", from.UtcDateTime), ("cut", cutAt.UtcDateTime));
            output.WriteLine($"one of 2 nodes cut off {Fault.TotalSeconds:0} s, 10 triggers/s of 300 ms: {audit}; " +
                $"node-1 fired {takeover:0.0} s after the cut; the cut node ready again {rejoined.TotalSeconds:0.0} s after the heal");
            Assert.True(cutRanBefore > 0, "the cut node should have been firing when it was cut");
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
            Assert.True(ready.IsReady);
            Assert.All(nodes, n => Assert.False(n.HasExited, n.Describe()));
        }
        finally
        {
            proxy.Heal();
            await ProbeNodes.StopAllAsync(nodes);
        }
    }

    [Fact]
    public async Task A_node_behind_a_slow_network_duplicates_nothing_and_loses_nothing()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("partition_slow");
        await using var proxy = new TcpFaultProxy(new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString).Port);
        var triggers = ProbeNodes.Triggers(10);
        var nodes = StartPair(db, proxy, triggers.Count);
        try
        {
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state") == 2, Timeout, "two nodes");
            var from = DateTimeOffset.UtcNow.AddSeconds(1);
            await Task.Delay(TimeSpan.FromSeconds(2));
            proxy.Delay(TimeSpan.FromMilliseconds(200));
            await Task.Delay(Fault);
            proxy.Heal();
            await Task.Delay(TimeSpan.FromSeconds(3));
            var to = DateTimeOffset.UtcNow.AddSeconds(-2);

            var audit = await ProbeNodes.SettledAuditAsync(db, triggers, from, to);
            output.WriteLine($"one of 2 nodes behind 200 ms each way for {Fault.TotalSeconds:0} s, 10 triggers/s: {audit}");
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
        }
        finally
        {
            proxy.Heal();
            await ProbeNodes.StopAllAsync(nodes);
        }
    }

    /// <summary>node-1 on the database directly, node-cut through the proxy.</summary>
    private static List<SchedulerProcess> StartPair(TestDatabase db, TcpFaultProxy proxy, int triggerCount) =>
    [
        ProbeNodes.Start(db, "node-1", triggerCount, Settings),
        ProbeNodes.Start(db, "node-cut", triggerCount, [.. Settings, ("ConnectionStrings__Scheduler", proxy.Route(db.ConnectionString))]),
    ];
}
