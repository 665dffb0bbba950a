using Microsoft.Extensions.Logging.Abstractions;
using Scheduler.Data.Migrations;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cluster;

/// <summary>Real node processes on one database: concurrent start, cluster membership, and who ran what.</summary>
public sealed class ClusterStartTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Three_migrate_calls_and_three_nodes_started_together_on_an_empty_database_all_succeed()
    {
        await using var db = await TestDatabase.CreateAsync("cluster_concurrent");
        string[] ids = ["node-a", "node-b", "node-c"];

        var migrators = Enumerable.Range(1, 3)
            .Select(i => SchedulerProcess.Start($"migrate-{i}", ["migrate"], NodeEnvironment.For(db))).ToList();
        // The local cluster's sample schedule (config/heartbeat.json: three staggered heartbeat triggers), not the tests' one-second one.
        var nodes = ids
            .Select(id => SchedulerProcess.Start(id, ["run", "--migrate", "--urls", "http://127.0.0.1:0", "--config", SampleSchedule], DefaultSchedule(NodeEnvironment.For(db, id))))
            .ToList();
        try
        {
            foreach (var migrator in migrators)
            {
                await migrator.WaitForExitAsync(StartTimeout);
                Assert.True(migrator.ExitCode == 0, migrator.Describe());
            }

            await Poll.UntilAsync(async () => await CheckedInAsync(db) == 3, StartTimeout, "three nodes to check in");
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<long>("SELECT count(DISTINCT instance_name) FROM qrtz_execution_history") == 3,
                StartTimeout, "history rows from all three nodes");

            Assert.Equal(MigrationCatalog.Core.Count, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
            Assert.Equal(["heartbeat-1", "heartbeat-2", "heartbeat-3"],
                await db.ListAsync("SELECT trigger_name FROM qrtz_triggers ORDER BY 1", r => r.GetString(0)));
            var nodesInHistory = await db.ListAsync("SELECT DISTINCT instance_name FROM qrtz_execution_history", r => r.GetString(0));
            Assert.All(nodesInHistory, n => Assert.Contains(n, ids));
            foreach (var process in migrators.Concat(nodes))
            {
                Assert.DoesNotContain("deadlock", process.StandardOutput + process.StandardError, StringComparison.OrdinalIgnoreCase);
                Assert.False(process.HasExited && process.ExitCode != 0, process.Describe());
            }

            foreach (var node in nodes)
            {
                node.Terminate();
            }

            foreach (var node in nodes)
            {
                await node.WaitForExitAsync(StopTimeout);
                Assert.True(node.ExitCode == 0, node.Describe());
            }
        }
        finally
        {
            foreach (var process in migrators.Concat(nodes))
            {
                await process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Two_nodes_share_one_cluster_and_each_execution_names_the_node_that_ran_it_once_per_fire_time()
    {
        await using var db = await TestDatabase.CreateAsync("cluster_two");
        await new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        await using var first = SchedulerProcess.Start("node-1", ["run", "--urls", "http://127.0.0.1:0"], NodeEnvironment.For(db, "node-1"));
        await using var second = SchedulerProcess.Start("node-2", ["run", "--urls", "http://127.0.0.1:0"], NodeEnvironment.For(db, "node-2"));

        await Poll.UntilAsync(async () => await CheckedInAsync(db) == 2, StartTimeout, "both nodes to check in");
        await Poll.UntilAsync(
            async () => await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat") >= 8, StartTimeout, "eight heartbeats");
        // The DBA views read the same rows with times as timestamptz and durations in milliseconds.
        Assert.Equal(["node-1:alive", "node-2:alive"], await db.ListAsync(
            "SELECT node || ':' || status FROM scheduler_nodes ORDER BY node", r => r.GetString(0)));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            """
            SELECT count(*) FROM scheduler_executions v JOIN scheduler_heartbeat h USING (fire_instance_id)
            WHERE v.node <> h.instance_id OR abs(extract(epoch FROM v.fired_at - h.fired_at)) > 0.01
               OR v.duration_ms < 0 OR v.duration_ms > 60000 OR v.result <> 'succeeded'
            """));
        // History is written behind (Scheduler:History:WriteBehindInterval, 250 ms by default): it follows the job's rows.
        await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_executions") >= 8, StartTimeout, "eight history rows");
        first.Terminate();
        second.Terminate();
        await first.WaitForExitAsync(StopTimeout);
        await second.WaitForExitAsync(StopTimeout);

        var members = await db.ListAsync("SELECT instance_name FROM qrtz_scheduler_state WHERE sched_name = 'scheduler' ORDER BY 1", r => r.GetString(0));
        Assert.Equal(["node-1", "node-2"], members);
        // The history (Quartz's) and the job's own row (ours) agree on which node ran each firing.
        var disagreements = await db.ScalarAsync<long>(
            """
            SELECT count(*) FROM scheduler_heartbeat h
            LEFT JOIN qrtz_execution_history e ON e.fire_instance_id = h.fire_instance_id
            WHERE e.instance_name IS DISTINCT FROM h.instance_id OR NOT e.succeeded
            """);
        Assert.Equal(0L, disagreements);
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT scheduled_fire_time FROM scheduler_heartbeat GROUP BY 1 HAVING count(*) > 1) d"));
        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.True(second.ExitCode == 0, second.Describe());
    }

    private static readonly string SampleSchedule = Path.Combine(TestEnvironment.RepositoryRoot, "config", "heartbeat.json");

    /// <summary>The node environment without the tests' heartbeat entry, so config/heartbeat.json alone defines it.</summary>
    private static Dictionary<string, string?> DefaultSchedule(Dictionary<string, string?> environment)
    {
        foreach (var key in environment.Keys.Where(k => k.StartsWith("Scheduler__Jobs__heartbeat__", StringComparison.Ordinal)).ToList())
        {
            environment.Remove(key);
        }

        return environment;
    }

    private static Task<long> CheckedInAsync(TestDatabase db) =>
        db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state WHERE sched_name = 'scheduler'");
}
