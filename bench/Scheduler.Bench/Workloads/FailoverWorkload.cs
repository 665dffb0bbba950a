using System.Globalization;
using System.Text.Json.Nodes;
using Quartz;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// A cron workload on 3 nodes (jobs that take 500 ms and request recovery) during which one node is killed with -9.
/// The node killed is the one running most jobs at that moment. The occurrences it had claimed and not finished are read from the ledger right after the kill; the figure is the
/// time from the kill until the last of them started on a survivor. Misses and duplicates are over the whole run.
/// </summary>
public sealed class FailoverWorkload : IWorkload
{
    private const int WorkMs = 500;

    public string Name => "failover";

    public async Task RunAsync(BenchContext context)
    {
        var section = context.Results.Section(Name);
        section["mode"] = context.Mode;
        var runs = new JsonArray();
        section["runs"] = runs;
        foreach (var profile in context.Options.Profiles.Select(NodeProfile.Find))
        {
            var run = await RunOnceAsync(context, profile);
            runs.Add(run);
            if (section["seconds"] is null)
            {
                foreach (var key in new[] { "seconds", "first_recovery_seconds", "in_flight_at_kill", "misses", "duplicates", "expected" })
                {
                    section[key] = run[key]?.DeepClone();
                }

                section["headline"] = $"3 nodes, profile {profile.Name}";
            }
        }
    }

    private static async Task<JsonObject> RunOnceAsync(BenchContext context, NodeProfile profile)
    {
        var instance = $"bench-failover-{profile.Name}";
        var (triggers, seconds, killAfter) = context.Size((30, 60, 20), (10, 24, 8));
        await context.Db.ClearClusterAsync(instance);
        var start = CronWorkload.TruncateToSecond(context.Time.GetUtcNow()).AddSeconds(context.Size(20, 8));
        var plan = new CronPlan(instance, new JobKey("failover", "bench"), triggers, start, seconds, WorkMs, RequestsRecovery: true);
        context.Log($"failover: {triggers} triggers every second ({WorkMs} ms of work each) for {seconds} s from {start:HH:mm:ss}; kill -9 of the busiest node after {killAfter} s; profile {profile.Name}");
        await using (var client = await StoreClient.CreateAsync(context.Options.Connection, instance))
        {
            await plan.ScheduleAsync(client);
        }

        JsonObject run;
        await using (var cluster = await NodeCluster.StartAsync(context.Options, instance, 3, profile))
        {
            // 300 ms into a second that second's jobs are running; the victim is the node running most of them
            // (a batch can take a whole second's triggers, so a node may have run nothing at all).
            var killAt = start.AddSeconds(killAfter).AddMilliseconds(300);
            await Task.Delay(Max(TimeSpan.Zero, killAt - context.Time.GetUtcNow()));
            cluster.EnsureAlive();
            var busiest = await context.Db.ScalarAsync<string>(
                "SELECT claimed_by FROM scheduler_occurrences WHERE sched_name = @s AND state = 'claimed' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
                ("s", instance));
            var victim = cluster.Nodes.FirstOrDefault(n => n.InstanceId == busiest) ?? cluster.Nodes[1];
            victim.KillHard();
            var killed = context.Time.GetUtcNow();
            var inFlight = await context.Db.RowsAsync(
                "SELECT trigger_name, scheduled_fire_time FROM scheduler_occurrences WHERE sched_name = @s AND claimed_by = @n AND state = 'claimed'",
                ("s", instance), ("n", victim.InstanceId));
            var firedRows = await context.Db.ScalarAsync<long>(
                "SELECT count(*) FROM qrtz_fired_triggers WHERE sched_name = @s AND instance_name = @n", ("s", instance), ("n", victim.InstanceId));
            context.Log($"failover: killed {victim.InstanceId} (pid {victim.Pid}) at {killed:HH:mm:ss.fff} with {inFlight.Count} occurrence(s) in flight");
            await CronAudit.WaitAsync(context, plan, cluster, victim);
            run = await CronAudit.MeasureAsync(context, plan);
            await AddRecoveryAsync(context, run, instance, victim.InstanceId, killed, inFlight);
            run["quartz_fired_trigger_rows_of_killed_node"] = firedRows;
            cluster.EnsureAlive(victim);
        }

        await context.Db.ClearClusterAsync(instance);
        run["profile"] = profile.Name;
        run["settings"] = profile.SettingsText;
        var settings = $"3 nodes, {triggers} triggers x 1/s x {seconds} s, workMs {WorkMs}, kill -9 at +{killAfter} s, profile {profile.Name}: {profile.SettingsText}";
        context.Results.Row("failover", "seconds to re-run in-flight work", (double?)run["seconds"], "0.00", settings);
        context.Results.Row("failover", $"misses (of {plan.Expected})", (long)run["misses"]!, "0", settings);
        context.Results.Row("failover", "duplicates", (long)run["duplicates"]!, "0", settings);
        if ((long)run["executions_after_kill_on_survivors"]! == 0)
        {
            throw new WorkloadFailedException($"failover ({instance}): the survivors ran nothing after the kill");
        }

        return run;
    }

    private static async Task AddRecoveryAsync(BenchContext context, JsonObject run, string instance, string victim, DateTimeOffset killed,
        List<object?[]> inFlight)
    {
        var starts = new List<double>();
        foreach (var occurrence in inFlight)
        {
            var started = await context.Db.ScalarAsync<DateTime?>(
                "SELECT min(started_at) FROM scheduler_heartbeat WHERE sched_name = @s AND trigger_name = @t AND scheduled_fire_time = @f AND instance_id <> @n",
                ("s", instance), ("t", occurrence[0]!), ("f", occurrence[1]!), ("n", victim));
            if (started is { } s)
            {
                starts.Add((new DateTimeOffset(DateTime.SpecifyKind(s, DateTimeKind.Utc)) - killed).TotalSeconds);
            }
        }

        run["killed_node"] = victim;
        run["killed_at"] = killed.ToString("o", CultureInfo.InvariantCulture);
        run["in_flight_at_kill"] = inFlight.Count;
        run["in_flight_re_run_elsewhere"] = starts.Count;
        run["first_recovery_seconds"] = starts.Count > 0 ? Math.Round(starts.Min(), 2) : null;
        run["seconds"] = starts.Count > 0 ? Math.Round(starts.Max(), 2) : null;
        run["executions_after_kill_on_survivors"] = await context.Db.ScalarAsync<long>(
            "SELECT count(*) FROM scheduler_heartbeat WHERE sched_name = @s AND instance_id <> @n AND started_at > @k",
            ("s", instance), ("n", victim), ("k", killed));
        run["max_lateness_of_fires_due_after_kill_ms"] = await context.Db.ScalarAsync<double?>(
            "SELECT round((max(extract(epoch FROM started_at - scheduled_fire_time)) * 1000)::numeric, 1) FROM scheduler_heartbeat WHERE sched_name = @s AND scheduled_fire_time > @k",
            ("s", instance), ("k", killed));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
