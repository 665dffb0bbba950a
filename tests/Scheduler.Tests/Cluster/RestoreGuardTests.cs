using Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cluster;

/// <summary>A restored copy of the database does not fire until an operator resumes it.</summary>
public sealed class RestoreGuardTests
{
    [Fact]
    public async Task A_node_starting_on_a_database_no_node_checked_in_to_for_hours_pauses_every_trigger_and_audits_why()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("restore_guard");
        // What a restore of last night's backup looks like: the cluster's last check-in is hours old.
        await db.ExecuteAsync(
            """
            INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval)
            VALUES ('scheduler', 'node-from-the-backup',
                    (extract(epoch FROM now() - interval '5 hours') * 10000000)::bigint + 621355968000000000, 2000)
            """);

        await using var node = await WebNode.StartAsync(db, "restored-node");
        var scheduler = await node.SchedulerAsync();
        await scheduler.ScheduleJob(
            JobBuilder.Create().OfType<Scheduler.Jobs.Heartbeat.HeartbeatJob>().WithIdentity("beat", "restored").Build(),
            TriggerBuilder.Create().WithIdentity("beat", "restored").WithCronSchedule("* * * * * ?").Build());

        Assert.Equal(TriggerState.Paused, await scheduler.GetTriggerState(new TriggerKey("beat", "restored")));
        Assert.Equal(["restore-guard"], await db.ListAsync(
            "SELECT actor FROM scheduler_audit WHERE action = 'pause-all' AND reason LIKE 'restore guard: no node checked in for 0.05:%'", r => r.GetString(0)));
    }

    [Fact]
    public async Task A_node_starting_on_a_live_or_new_cluster_pauses_nothing()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("restore_guard_new");

        await using var node = await WebNode.StartAsync(db, "new-node");
        var scheduler = await node.SchedulerAsync();
        await scheduler.ScheduleJob(
            JobBuilder.Create().OfType<Scheduler.Jobs.Heartbeat.HeartbeatJob>().WithIdentity("beat", "new").Build(),
            TriggerBuilder.Create().WithIdentity("beat", "new").WithCronSchedule("* * * * * ?").Build());

        Assert.Equal(TriggerState.Normal, await scheduler.GetTriggerState(new TriggerKey("beat", "new")));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_audit"));
    }
}
