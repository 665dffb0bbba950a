using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Fencing;

/// <summary>PostgreSQL going away under running nodes, and not being there when a node starts.</summary>
public sealed class DatabaseOutageTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly string[] NodeIds = ["node-1", "node-2"];

    [Fact]
    public async Task Nodes_ride_out_a_PostgreSQL_restart_without_crashing_losing_or_duplicating_a_fire_time()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("outage_restart");
        var triggers = ProbeNodes.Triggers(10);
        var nodes = NodeIds.Select(id => ProbeNodes.Start(db, id, triggers.Count, ("Scheduler__Database__StartupTimeout", "00:01:30"))).ToList();
        try
        {
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state") == 2, Timeout, "two nodes");
            var from = DateTimeOffset.UtcNow.AddSeconds(2);
            await Task.Delay(TimeSpan.FromSeconds(4));
            await TestPostgres.StopAsync();
            await Task.Delay(TimeSpan.FromSeconds(3));
            await TestPostgres.StartAsync();
            db.DataSource.Clear();
            await Task.Delay(TimeSpan.FromSeconds(8));
            var to = DateTimeOffset.UtcNow.AddSeconds(-3);

            var audit = await ProbeNodes.SettledAuditAsync(db, triggers, from, to);
            output.WriteLine($"PostgreSQL restart (3 s down) under 2 nodes, 10 triggers/s: {audit}");
            Assert.All(nodes, n => Assert.False(n.HasExited, n.Describe()));
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes);
        }
    }

    [Fact]
    public async Task A_node_started_while_PostgreSQL_is_down_waits_and_joins_when_it_is_back()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("outage_start");
        await TestPostgres.StopAsync();
        SchedulerProcess node;
        try
        {
            node = ProbeNodes.Start(db, "late-node", 1, ("Scheduler__Database__StartupTimeout", "00:01:30"));
            await Poll.UntilAsync(() => Task.FromResult(node.StandardOutput.Contains("Database not reachable yet", StringComparison.Ordinal)),
                Timeout, "the node to report that it waits for the database");
            Assert.False(node.HasExited, node.Describe());
        }
        finally
        {
            await TestPostgres.StartAsync();
            db.DataSource.Clear();
        }

        await using (node)
        {
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat WHERE instance_id = 'late-node'") > 0,
                Timeout, "the node to join and fire once the database is back");
            node.Terminate();
            await node.WaitForExitAsync(Timeout);
            Assert.True(node.ExitCode == 0, node.Describe());
        }
    }
}
