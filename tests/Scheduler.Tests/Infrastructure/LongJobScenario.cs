namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// Two node processes on one database running the shipped heartbeat every 5 s with 8 s of work that requests recovery,
/// started and left with one run executing: the setting of the fault scenarios that kill, freeze or cut off the node running
/// it (Fencing/FaultScenarioTests, Faults/NodeLockFailoverTests).
/// </summary>
internal static class LongJobScenario
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Starts <paramref name="nodeIds"/> with <paramref name="settings"/> (the scenario's check-in and the like) and the job's,
    /// waits until every node has checked in, then for <paramref name="ready"/> if given, then for a run to be executing; the
    /// node running it is the victim.
    /// </summary>
    public static async Task<(SchedulerProcess[] Nodes, SchedulerProcess Victim, SchedulerProcess Survivor, (DateTime At, string Trigger) Occurrence)>
        StartAsync(TestDatabase db, string[] nodeIds, (string Key, string Value)[] settings, Func<Task>? ready = null)
    {
        (string Key, string Value)[] all =
        [
            .. settings,
            ("Scheduler__Jobs__heartbeat__Cron", "0/5 * * * * ?"),
            ("Scheduler__Jobs__heartbeat__RequestsRecovery", "true"),
            ("Scheduler__Jobs__heartbeat__Data__workMs", "8000"),
        ];
        var nodes = nodeIds
            .Select(id => SchedulerProcess.Start(id, ["run", "--urls", "http://127.0.0.1:0"], NodeEnvironment.For(db, id, all)))
            .ToArray();
        await Poll.UntilAsync(
            async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state") == nodeIds.Length, Timeout, "every node to check in");
        if (ready is not null)
        {
            await ready();
        }

        (string Node, DateTime At, string Trigger)? executing = null;
        await Poll.UntilAsync(async () =>
        {
            var rows = await db.ListAsync(
                "SELECT instance_name, sched_time, trigger_name FROM qrtz_fired_triggers WHERE state = 'EXECUTING' ORDER BY fired_time LIMIT 1",
                r => (r.GetString(0), new DateTime(r.GetInt64(1), DateTimeKind.Utc), r.GetString(2)));
            executing = rows.Count == 1 ? rows[0] : null;
            return executing is not null;
        }, Timeout, "a long heartbeat to be executing");
        var victim = nodes.Single(n => n.Name == executing!.Value.Node);
        return (nodes, victim, nodes.Single(n => n != victim), (executing!.Value.At, executing.Value.Trigger));
    }

    /// <summary>The heartbeat's effects for <paramref name="occurrence"/>'s fire time: 1 when it ran once.</summary>
    public static Task<long> HeartbeatsAsync(TestDatabase db, (DateTime At, string Trigger) occurrence) =>
        db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat WHERE scheduled_fire_time = @at", ("at", occurrence.At));

    /// <summary>Fire times with more than one effect.</summary>
    public static Task<long> DuplicateEffectsAsync(TestDatabase db) => db.ScalarAsync<long>(
        "SELECT count(*) FROM (SELECT scheduled_fire_time FROM scheduler_heartbeat GROUP BY 1 HAVING count(*) > 1) d");
}
