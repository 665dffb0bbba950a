using Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Schedules;

/// <summary>Reconcile at start makes the store match Scheduler:Jobs, touching only what configuration owns.</summary>
public sealed class ScheduleReconcileTests
{
    [Fact]
    public async Task Reconcile_adds_updates_removes_and_keeps_and_never_touches_runtime_jobs()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("reconcile");
        var v1 = Entries(("a", "0 0 3 * * ?"), ("b", "0 0 4 * * ?"), ("c", "0 0 5 * * ?"));
        await using (var node = await InProcessNode.StartAsync(db, "n1", v1))
        {
            var scheduler = await node.SchedulerAsync();
            await AddRuntimeJobAsync(scheduler, new JobKey("r", "runtime"));
            await AddRuntimeJobAsync(scheduler, new JobKey("z", "config"));
        }

        var keptBefore = await TriggerTimesAsync(db, "a");
        var v2 = Entries(("a", "0 0 3 * * ?"), ("b", "0 0 6 * * ?"), ("d", "0 0 7 * * ?"));
        await using (await InProcessNode.StartAsync(db, "n1", v2))
        {
        }

        Assert.Equal(["config.a", "config.b", "config.d", "config.z", "runtime.r"],
            await db.ListAsync("SELECT job_group || '.' || job_name FROM qrtz_job_details ORDER BY 1", r => r.GetString(0)));
        Assert.Equal(["a", "b", "d"], await db.ListAsync("SELECT job_name FROM scheduler_config_jobs ORDER BY 1", r => r.GetString(0)));
        Assert.Equal("0 0 6 * * ?", await db.ScalarAsync<string>("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'b'"));
        Assert.Equal(keptBefore, await TriggerTimesAsync(db, "a"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE job_name IN ('r', 'z')"));
    }

    [Fact]
    public async Task An_unchanged_schedule_keeps_its_next_fire_time_and_history_across_restarts()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("reconcile_keep");
        var entries = Entries(("a", "0 0/30 * * * ?"));
        await using (await InProcessNode.StartAsync(db, "n1", entries))
        {
        }

        // As if the trigger had fired before the restart: a redeploy must not reset what Quartz knows.
        await db.ExecuteAsync("UPDATE qrtz_triggers SET prev_fire_time = 638000000000000000, next_fire_time = next_fire_time + 10 WHERE trigger_name = 'a'");
        var before = await TriggerTimesAsync(db, "a");
        await using (await InProcessNode.StartAsync(db, "n2", entries))
        {
        }

        Assert.Equal(before, await TriggerTimesAsync(db, "a"));
    }

    [Fact]
    public async Task An_entry_colliding_with_a_runtime_job_stops_the_node_and_leaves_the_job_alone()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("reconcile_clash");
        await using (var node = await InProcessNode.StartAsync(db, "n1", Entries()))
        {
            await AddRuntimeJobAsync(await node.SchedulerAsync(), new JobKey("x", "config"));
        }

        var error = await Assert.ThrowsAnyAsync<Exception>(() => InProcessNode.StartAsync(db, "n1", Entries(("x", "0 0 3 * * ?"))));

        Assert.Contains("Scheduler:Jobs:x would replace job 'config.x', which was created at run time", error.Message, StringComparison.Ordinal);
        Assert.Equal("0 0 1 * * ?", await db.ScalarAsync<string>("SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'x'"));
    }

    [Fact]
    public async Task Quartz_policies_from_configuration_are_stored_on_the_job_and_its_triggers()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("reconcile_policies");
        var settings = new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:p:Type"] = "heartbeat",
            ["Scheduler:Jobs:p:Cron:0"] = "0 0 9 * * ?",
            ["Scheduler:Jobs:p:Cron:1"] = "0 0 21 * * ?",
            ["Scheduler:Jobs:p:TimeZone"] = "Europe/Berlin",
            ["Scheduler:Jobs:p:Misfire"] = "CatchUp",
            ["Scheduler:Jobs:p:Retry:Policy"] = "Fixed",
            ["Scheduler:Jobs:p:Retry:Attempts"] = "2",
            ["Scheduler:Jobs:p:Retry:Delay"] = "00:00:30",
            ["Scheduler:Jobs:p:Overlap"] = "Skip",
            ["Scheduler:Jobs:p:NoConcurrentExecution"] = "true",
            ["Scheduler:Jobs:p:ExecutionGroup"] = "reports",
            ["Scheduler:Jobs:p:RequestsRecovery"] = "false",
            ["Scheduler:Jobs:p:Paused"] = "true",
            ["Scheduler:Jobs:p:Description"] = "policies",
            ["Scheduler:ExecutionLimits:reports:Limit"] = "1",
        };

        await using (await InProcessNode.StartAsync(db, "n1", settings))
        {
        }

        var triggers = await db.ListAsync(
            """
            SELECT t.trigger_name, t.trigger_state, t.pause_reason, t.paused_by, t.misfire_instr, t.retry_policy, t.overlap_policy,
                   t.execution_group, c.time_zone_id
            FROM qrtz_triggers t JOIN qrtz_cron_triggers c USING (sched_name, trigger_name, trigger_group) ORDER BY 1
            """,
            r => (Name: r.GetString(0), State: r.GetString(1), Reason: r.GetString(2), By: r.GetString(3), Misfire: r.GetInt16(4),
                  Retry: r.GetString(5), Overlap: r.GetInt32(6), Group: r.GetString(7), Zone: r.GetString(8)));
        Assert.Equal(["p-1", "p-2"], triggers.Select(t => t.Name));
        Assert.All(triggers, t =>
        {
            Assert.Equal("PAUSED", t.State);
            Assert.Equal(("Paused in configuration", "configuration"), (t.Reason, t.By));
            Assert.Equal((short)CronTriggerMisfireInstruction.IgnoreMisfires, t.Misfire);
            Assert.Equal(RetryPolicy.None, RetryPolicy.Parse(t.Retry));
            Assert.Equal((int)OverlapPolicy.Skip, t.Overlap);
            Assert.Equal(("reports", "Europe/Berlin"), (t.Group, t.Zone));
        });
        // Retries are the service's: the plan travels in the job's data, Quartz's own policy stays None on the triggers.
        Assert.Contains("scheduler.retry", await db.ScalarAsync<string>("SELECT convert_from(job_data, 'UTF8') FROM qrtz_job_details WHERE job_name = 'p'"),
            StringComparison.Ordinal);
        Assert.Equal((true, false), (await db.ListAsync("SELECT is_nonconcurrent, requests_recovery FROM qrtz_job_details WHERE job_name = 'p'",
            r => (r.GetBoolean(0), r.GetBoolean(1)))).Single());
    }

    [Fact]
    public async Task A_continuation_runs_after_each_successful_run_of_its_parent()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("reconcile_chain");
        var settings = new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:parent:Type"] = "heartbeat",
            ["Scheduler:Jobs:parent:Cron"] = "* * * * * ?",
            ["Scheduler:Jobs:child:Type"] = "heartbeat",
            ["Scheduler:Jobs:child:After:Job"] = "parent",
        };

        await using (await InProcessNode.StartAsync(db, "n1", settings))
        {
            await Poll.UntilAsync(
                async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'child' AND succeeded") >= 2,
                TimeSpan.FromSeconds(30), "two runs of the continuation");
        }

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE job_name = 'child' AND trigger_type = 'CRON'"));
    }

    private static Dictionary<string, string?> Entries(params (string Name, string Cron)[] entries)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (name, cron) in entries)
        {
            settings[$"Scheduler:Jobs:{name}:Type"] = "heartbeat";
            settings[$"Scheduler:Jobs:{name}:Cron"] = cron;
        }

        return settings;
    }

    private static async Task AddRuntimeJobAsync(IScheduler scheduler, JobKey key)
    {
        var job = JobBuilder.Create().OfType<Scheduler.Jobs.Heartbeat.HeartbeatJob>().WithIdentity(key).StoreDurably(true).Build();
        var trigger = TriggerBuilder.Create().WithIdentity(key.Name, key.Group).ForJob(key).WithCronSchedule("0 0 1 * * ?").Build();
        await scheduler.ScheduleJob(job, [trigger], new ScheduleJobOptions { Replace = false });
    }

    private static Task<List<(long Start, long? Next, long? Prev)>> TriggerTimesAsync(TestDatabase db, string trigger) =>
        db.ListAsync($"SELECT start_time, next_fire_time, prev_fire_time FROM qrtz_triggers WHERE trigger_name = '{trigger}'",
            r => (r.GetInt64(0), r.IsDBNull(1) ? (long?)null : r.GetInt64(1), r.IsDBNull(2) ? (long?)null : r.GetInt64(2)));
}
