using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Scheduler.Data.Migrations;
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
        await using var db = await MigratedAsync("outage_restart");
        var triggers = Enumerable.Range(1, 10).Select(i => $"heartbeat-{i}").ToList();
        var nodes = NodeIds.Select(id => StartNode(db, id, triggers.Count)).ToList();
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

            var audit = await SettledAuditAsync(db, triggers, from, to);
            output.WriteLine($"PostgreSQL restart (3 s down) under 2 nodes, 10 triggers/s: {audit}");
            Assert.All(nodes, n => Assert.False(n.HasExited, n.Describe()));
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
        }
        finally
        {
            await StopAllAsync(nodes);
        }
    }

    [Fact]
    public async Task A_node_started_while_PostgreSQL_is_down_waits_and_joins_when_it_is_back()
    {
        await using var db = await MigratedAsync("outage_start");
        await TestPostgres.StopAsync();
        SchedulerProcess node;
        try
        {
            node = StartNode(db, "late-node", 1);
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

    private static SchedulerProcess StartNode(TestDatabase db, string id, int triggerCount)
    {
        var env = NodeEnvironment.For(db, id, ("Scheduler__Jobs__heartbeat__Misfire", "CatchUp"), ("Scheduler__Database__StartupTimeout", "00:01:30"));
        env.Remove("Scheduler__Jobs__heartbeat__Cron");
        for (var i = 0; i < triggerCount; i++)
        {
            env[$"Scheduler__Jobs__heartbeat__Cron__{i}"] = "* * * * * ?";
        }

        return SchedulerProcess.Start(id, ["run", "--urls", "http://127.0.0.1:0"], env);
    }

    private static async Task<OccurrenceAudit> SettledAuditAsync(TestDatabase db, IReadOnlyList<string> triggers, DateTimeOffset from, DateTimeOffset to)
    {
        OccurrenceAudit? audit = null;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                audit = await OccurrenceAudit.ForEverySecondAsync(db, triggers, from, to);
            }
            catch (NpgsqlException)
            {
                db.DataSource.Clear();
            }

            if (audit is { Missing: 0 } || DateTimeOffset.UtcNow > deadline)
            {
                return audit ?? await OccurrenceAudit.ForEverySecondAsync(db, triggers, from, to);
            }

            await Task.Delay(500);
        }
    }

    private static async Task StopAllAsync(IEnumerable<SchedulerProcess> nodes)
    {
        foreach (var node in nodes.Where(n => !n.HasExited))
        {
            node.Terminate();
        }

        foreach (var node in nodes)
        {
            await node.WaitForExitAsync(Timeout);
            await node.DisposeAsync();
        }
    }

    private static async Task<TestDatabase> MigratedAsync(string purpose)
    {
        var db = await TestDatabase.CreateAsync(purpose);
        await new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        return db;
    }
}
