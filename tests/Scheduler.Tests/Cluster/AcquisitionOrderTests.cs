using Quartz.Extensibility;
using Quartz.Impl.AdoJobStore;
using Quartz.Impl.AdoJobStore.Common;
using Scheduler.Core.Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cluster;

/// <summary>
/// Nodes claim triggers due at the same instant in one order (<see cref="OrderedPostgreSQLDelegate"/>): the acquisition
/// statement every node runs breaks fire-time and priority ties by the trigger's key, so two lock-free rounds never lock the
/// same rows in opposite orders (the deadlocks the soak counted).
/// </summary>
public sealed class AcquisitionOrderTests
{
    private const string Scheduler = "order-test";

    [Fact]
    public void The_acquisition_statement_orders_ties_by_the_trigger_key()
    {
        var sql = ProbeDelegate.Create().AcquisitionSql(20);

        Assert.Contains(OrderedPostgreSQLDelegate.TotalOrder + " LIMIT 20", sql, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Triggers_due_at_one_instant_come_back_in_key_order_whatever_order_their_rows_were_written_in()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("acq_order");
        const int Triggers = 60;
        var due = DateTimeOffset.UtcNow.AddSeconds(-1).UtcTicks;
        await db.ExecuteAsync(
            $"""
            INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery)
            VALUES ('{Scheduler}', 'job', 'g', 'x', true, false, false, false);
            -- Written in descending name order, then half of them rewritten: the heap order is neither the names' nor its reverse.
            INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, next_fire_time, priority, trigger_state, trigger_type, start_time, misfire_instr)
            SELECT '{Scheduler}', format('t-%s', lpad(i::text, 3, '0')), 'g', 'job', 'g', {due}, 5, 'WAITING', 'CRON', 0, 0
            FROM generate_series({Triggers}, 1, -1) AS i;
            UPDATE qrtz_triggers SET description = 'moved' WHERE sched_name = '{Scheduler}' AND right(trigger_name, 1) IN ('1', '3', '5', '7', '9');
            ANALYZE qrtz_triggers;
            """);

        var sql = ProbeDelegate.Create().AcquisitionSql(Triggers).Replace("{0}", "QRTZ_", StringComparison.Ordinal);
        await using var command = db.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue("schedulerName", Scheduler);
        command.Parameters.AddWithValue("state", "WAITING");
        command.Parameters.AddWithValue("noLaterThan", due + TimeSpan.TicksPerSecond);
        command.Parameters.AddWithValue("noEarlierThan", due - TimeSpan.TicksPerMinute);
        command.Parameters.AddWithValue("misfireCountedFrom", due);
        command.Parameters.AddWithValue("instanceId", "node-1");
        command.Parameters.AddWithValue("autoPinSentinel", "-");
        command.Parameters.AddWithValue("liveNodeCutoff", due);
        var names = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        Assert.Equal(Triggers, names.Count);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task A_node_acquires_with_the_key_ordered_statement()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("acq_node");
        await db.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        const string Statements = "SELECT count(*) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query LIKE ";

        await using (await InProcessNode.StartAsync(db, "order-node", new Dictionary<string, string?>()))
        {
            // The scheduler thread acquires as soon as it starts, then after every idle wait.
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<long>(Statements + "'%ORDER BY%" + OrderedPostgreSQLDelegate.TotalOrder + "%'") > 0,
                TimeSpan.FromSeconds(30), "the node's first acquisition with the key-ordered statement");
        }

        Assert.Equal(0, await db.ScalarAsync<long>(Statements + "'%ORDER BY%" + OrderedPostgreSQLDelegate.QuartzOrder + " LIMIT%'"));
    }

    /// <summary>The delegate as the store initializes it, with its protected statement builder in reach.</summary>
    private sealed class ProbeDelegate : OrderedPostgreSQLDelegate
    {
        public static ProbeDelegate Create()
        {
            var probe = new ProbeDelegate();
            probe.Initialize(new DriverDelegateContext
            {
                TablePrefix = "QRTZ_",
                SchedulerName = Scheduler,
                InstanceId = "node-1",
                DbProvider = new DbProvider("Npgsql", "Host=unused"),
                TypeLoader = new NoTypes(),
            });
            return probe;
        }

        public string AcquisitionSql(int maxCount) => GetSelectNextTriggerToAcquireSql(new TriggerAcquisitionSqlShape(maxCount, 0));
    }

    private sealed class NoTypes : ITypeLoader
    {
        public Type? LoadType(string? name) => null;
    }
}
