using Scheduler.Jobs.Heartbeat;
using Scheduler.Jobs.Sql;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Jobs;

/// <summary>Jobs run one at a time through <see cref="JobTestHarness"/>: each does its work once per occurrence.</summary>
public sealed class JobHarnessTests
{
    private static readonly DateTimeOffset NineOClock = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_heartbeat_job_records_the_node_and_the_scheduled_fire_time()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("harness_heartbeat");
        await using var harness = await JobTestHarness.CreateAsync(db);

        var run = await harness.RunAsync<HeartbeatJob>(NineOClock);

        Assert.Null(run.Exception);
        Assert.Equal("heartbeat from harness-node", run.Summary);
        Assert.Equal(("harness-node", NineOClock), (await db.ListAsync(
            "SELECT instance_id, scheduled_fire_time FROM scheduler_heartbeat", r => (r.GetString(0), r.GetFieldValue<DateTimeOffset>(1)))).Single());
    }

    [Fact]
    public async Task A_sql_job_run_twice_for_the_same_fire_time_has_one_effect()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("harness_sql_twice");
        await db.ExecuteAsync("CREATE TABLE effects (at timestamptz)");
        await using var harness = await JobTestHarness.CreateAsync(db);
        var data = new Dictionary<string, string> { [SqlJobData.SqlKey] = "INSERT INTO effects VALUES (@scheduled_fire_time)" };

        var first = await harness.RunAsync<SqlJob>(NineOClock, data);
        var second = await harness.RunAsync<SqlJob>(NineOClock, data);
        var nextHour = await harness.RunAsync<SqlJob>(NineOClock.AddHours(1), data);

        Assert.Equal("sql: 1 rows affected", first.Summary);
        Assert.StartsWith("duplicate suppressed: occurrence already completed", second.Summary, StringComparison.Ordinal);
        Assert.Null(nextHour.Exception);
        Assert.Equal([NineOClock, NineOClock.AddHours(1)], await db.ListAsync("SELECT at FROM effects ORDER BY at", r => r.GetFieldValue<DateTimeOffset>(0)));
    }

    [Fact]
    public async Task A_sql_job_that_fails_can_be_run_again_for_the_same_fire_time()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("harness_sql_retry");
        await using var harness = await JobTestHarness.CreateAsync(db);
        var data = new Dictionary<string, string> { [SqlJobData.SqlKey] = "INSERT INTO later_table VALUES (@scheduled_fire_time)" };

        var failed = await harness.RunAsync<SqlJob>(NineOClock, data);
        await db.ExecuteAsync("CREATE TABLE later_table (at timestamptz)");
        var retried = await harness.RunAsync<SqlJob>(NineOClock, data);

        Assert.Contains("SQLSTATE 42P01", failed.Exception?.Message, StringComparison.Ordinal);
        Assert.Null(retried.Exception);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM later_table"));
    }
}
