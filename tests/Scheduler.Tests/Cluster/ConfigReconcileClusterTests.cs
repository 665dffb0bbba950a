using Microsoft.Extensions.Logging.Abstractions;
using Scheduler.Data.Migrations;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cluster;

/// <summary>A redeploy of N nodes with a changed schedule: applied once, by one node, with no deadlock.</summary>
public sealed class ConfigReconcileClusterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Three_nodes_starting_together_with_a_changed_configuration_apply_it_once()
    {
        await using var db = await TestDatabase.CreateAsync("reconcile_cluster");
        await new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        await using (var first = SchedulerProcess.Start("v1", ["run", "--urls", "http://127.0.0.1:0"],
            NodeEnvironment.For(db, "v1", ("Scheduler__Jobs__nightly__Type", "heartbeat"), ("Scheduler__Jobs__nightly__Cron", "0 0 3 * * ?"))))
        {
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_config_jobs WHERE job_name = 'nightly'") == 1,
                Timeout, "the first deployment's schedule");
            first.Terminate();
            await first.WaitForExitAsync(Timeout);
        }

        string[] ids = ["n1", "n2", "n3"];
        var nodes = ids.Select(id => SchedulerProcess.Start(id, ["run", "--urls", "http://127.0.0.1:0"],
            NodeEnvironment.For(db, id, ("Scheduler__Jobs__nightly__Type", "heartbeat"), ("Scheduler__Jobs__nightly__Cron", "0 0 4 * * ?")))).ToList();
        try
        {
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state WHERE instance_name = ANY(@ids)", ("ids", ids)) == 3,
                Timeout, "three nodes to check in");

            // Output arrives asynchronously: wait until every node's reconcile summary has been read.
            await Poll.UntilAsync(
                () => Task.FromResult(nodes.All(n => n.StandardOutput.Contains("Schedules reconciled:", StringComparison.Ordinal))),
                Timeout, "every node's reconcile summary");
            Assert.Equal("0 0 4 * * ?", await db.ScalarAsync<string>("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'nightly'"));
            Assert.Equal(1, nodes.Count(n => n.StandardOutput.Contains("Schedule Updated config.nightly", StringComparison.Ordinal)));
            Assert.All(nodes, n => Assert.DoesNotContain("deadlock", n.StandardOutput + n.StandardError, StringComparison.OrdinalIgnoreCase));
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
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
