using Npgsql;
using Quartz.Extensibility;
using Quartz.Impl.AdoJobStore;
using Quartz.Impl.AdoJobStore.Common;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cluster;

/// <summary>
/// Nodes read, and so claim, triggers due at the same instant in one order (sql/0016_acquisition_order.sql): Quartz's own
/// acquisition statement, run on the migrated schema, returns ties of fire time and priority in the trigger's key order
/// whatever order their row versions lie in, so two lock-free rounds never lock the same rows in opposite orders (the
/// deadlocks the soak counted before).
/// </summary>
public sealed class AcquisitionOrderTests
{
    private const string Scheduler = "order-test";

    [Fact]
    public async Task Triggers_due_at_one_instant_come_back_in_key_order_whatever_order_their_rows_were_written_in()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("acq_order");
        const int Triggers = 2000;
        var due = DateTimeOffset.UtcNow.AddSeconds(-1).UtcTicks;
        await SeedAsync(db, Triggers, due);
        await using var connection = await db.DataSource.OpenConnectionAsync();

        var first = await AcquireAsync(connection, 20, due, explain: false);
        var plan = string.Join('\n', await AcquireAsync(connection, 20, due, explain: true));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"t-{i:D4}"), first);
        Assert.Contains("idx_qrtz_t_acquire", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("Sort", plan, StringComparison.Ordinal);
    }

    /// <summary>One job and <paramref name="triggers"/> triggers all due at <paramref name="due"/> with one priority.</summary>
    private static Task SeedAsync(TestDatabase db, int triggers, long due) => db.ExecuteAsync(
        $"""
        INSERT INTO qrtz_job_details (sched_name, job_name, job_group, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery)
        VALUES ('{Scheduler}', 'job', 'g', 'x', true, false, false, false);
        -- Written in descending name order, then some rewritten (as fires rewrite rows): the physical order is neither the
        -- names' nor its reverse.
        INSERT INTO qrtz_triggers (sched_name, trigger_name, trigger_group, job_name, job_group, next_fire_time, priority, trigger_state, trigger_type, start_time, misfire_instr)
        SELECT '{Scheduler}', format('t-%s', lpad(i::text, 4, '0')), 'g', 'job', 'g', {due}, 5, 'WAITING', 'CRON', 0, 0
        FROM generate_series({triggers}, 1, -1) AS i;
        UPDATE qrtz_triggers SET description = 'moved' WHERE sched_name = '{Scheduler}' AND right(trigger_name, 1) IN ('1', '3', '5', '7', '9');
        ANALYZE qrtz_triggers, qrtz_job_details;
        """);

    /// <summary>Runs Quartz's acquisition statement (or its plan) on <paramref name="connection"/>; the first column of each row.</summary>
    private static async Task<List<string>> AcquireAsync(NpgsqlConnection connection, int maxCount, long due, bool explain)
    {
        var sql = ProbeDelegate.Create().AcquisitionSql(maxCount).Replace("{0}", "QRTZ_", StringComparison.Ordinal);
        await using var command = new NpgsqlCommand((explain ? "EXPLAIN (COSTS OFF) " : "") + sql, connection);
        command.Parameters.AddWithValue("schedulerName", Scheduler);
        command.Parameters.AddWithValue("state", "WAITING");
        command.Parameters.AddWithValue("noLaterThan", due + TimeSpan.TicksPerSecond);
        command.Parameters.AddWithValue("noEarlierThan", due - TimeSpan.TicksPerMinute);
        command.Parameters.AddWithValue("misfireCountedFrom", due);
        command.Parameters.AddWithValue("instanceId", "node-1");
        command.Parameters.AddWithValue("autoPinSentinel", "-");
        command.Parameters.AddWithValue("liveNodeCutoff", due);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>Quartz's PostgreSQL delegate as the store initializes it, with its protected statement builder in reach.</summary>
    private sealed class ProbeDelegate : PostgreSQLDelegate
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
