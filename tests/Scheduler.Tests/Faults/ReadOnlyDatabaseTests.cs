using Npgsql;
using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Faults;

/// <summary>
/// PostgreSQL turning read-only under running nodes (<c>default_transaction_read_only</c>, as during some failovers):
/// they report not ready naming the reason, lose nothing, and carry on by themselves once it accepts writes again.
/// </summary>
public sealed class ReadOnlyDatabaseTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly (string, string)[] Settings =
    [
        ("Quartz__JobStore__Clustering__CheckinInterval", "00:00:01"),
        ("Quartz__JobStore__Clustering__CheckinMisfireThreshold", "00:00:02"),
    ];

    [Fact]
    public async Task Nodes_on_a_database_gone_read_only_are_not_ready_lose_nothing_and_recover_by_themselves()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("read_only");
        var triggers = ProbeNodes.Triggers(10);
        var nodes = new List<SchedulerProcess>
        {
            ProbeNodes.Start(db, "node-1", triggers.Count, Settings),
            ProbeNodes.Start(db, "node-2", triggers.Count, Settings),
        };
        try
        {
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state") == 2, Timeout, "two nodes");
            await NodeHealth.UntilAsync(nodes[0], r => r.IsReady, Timeout, "ready");
            var from = DateTimeOffset.UtcNow.AddSeconds(1);
            await Task.Delay(TimeSpan.FromSeconds(2));
            await SetServerReadOnlyAsync(true);
            DateTimeOffset writableAt;
            try
            {
                foreach (var node in nodes)
                {
                    await NodeHealth.UntilAsync(node, r => !r.IsReady && r.Check("database-writable") == "Unhealthy", Timeout, "not ready: read-only");
                }

                await Task.Delay(ScenarioWindow.Or(TimeSpan.FromSeconds(3)));
            }
            finally
            {
                await SetServerReadOnlyAsync(false);
                writableAt = DateTimeOffset.UtcNow;
            }

            foreach (var node in nodes)
            {
                await NodeHealth.UntilAsync(node, r => r.IsReady, Timeout, "ready again once writable");
            }

            var recovered = DateTimeOffset.UtcNow - writableAt;
            await Task.Delay(TimeSpan.FromSeconds(3));
            var to = DateTimeOffset.UtcNow.AddSeconds(-2);
            var audit = await ProbeNodes.SettledAuditAsync(db, triggers, from, to);
            output.WriteLine($"database read-only (held {ScenarioWindow.Or(TimeSpan.FromSeconds(3)).TotalSeconds:0} s once both nodes were not ready) under 2 nodes, 10 triggers/s: {audit}; both ready {recovered.TotalSeconds:0.0} s after writes were allowed again");
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
            Assert.All(nodes, n => Assert.False(n.HasExited, n.Describe()));
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes);
        }
    }

    /// <summary>Server-wide, applied to open sessions by a configuration reload, as a DBA or a failover tool does it.</summary>
    private static async Task SetServerReadOnlyAsync(bool readOnly)
    {
        await using var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString);
        await admin.OpenAsync();
        var sql = readOnly
            ? "ALTER SYSTEM SET default_transaction_read_only = on"
            : "SET default_transaction_read_only = off; ALTER SYSTEM RESET default_transaction_read_only";
        foreach (var statement in sql.Split("; "))
        {
            await using var command = new NpgsqlCommand(statement, admin);
            await command.ExecuteNonQueryAsync();
        }

        await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", admin);
        await reload.ExecuteScalarAsync();
    }
}
