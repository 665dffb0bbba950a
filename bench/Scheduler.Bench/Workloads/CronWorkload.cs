using System.Text.Json.Nodes;
using Quartz;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// 1,000 cron triggers firing every second for 60 s on 3 nodes (smoke: 20 for 10 s): lateness (job start − scheduled
/// fire time) p50/p99/max, duplicates and misses, per profile; then 100 (smoke: 5) at the shipped defaults as
/// <c>cron.sustained</c>, a load the cluster keeps up with.
/// </summary>
public sealed class CronWorkload : IWorkload
{
    public string Name => "cron";

    public async Task RunAsync(BenchContext context)
    {
        var section = context.Results.Section(Name);
        section["mode"] = context.Mode;
        var runs = new JsonArray();
        section["runs"] = runs;
        foreach (var profile in context.Options.Profiles.Select(NodeProfile.Find))
        {
            var run = await RunOnceAsync(context, profile, context.Size(1000, 20), context.Size(60, 10));
            runs.Add(run);
            if (section["lateness_ms"] is null)
            {
                foreach (var key in new[] { "lateness_ms", "duplicates", "misses", "expected", "executions", "statements_per_execution", "cpu_ms_per_execution" })
                {
                    section[key] = run[key]?.DeepClone();
                }

                section["headline"] = $"3 nodes, profile {profile.Name}";
            }
        }

        // The specified load is above what 3 nodes fire per second on a 2-core machine, so its lateness measures the
        // backlog. The same measurement at a tenth of it says how late a cluster that keeps up starts its jobs.
        var sustained = await RunOnceAsync(context, NodeProfile.Default, context.Size(100, 5), context.Size(60, 10), "sustained-");
        var summary = new JsonObject { ["triggers_per_s"] = context.Size(100, 5) };
        foreach (var key in new[] { "lateness_ms", "fire_lateness_ms", "duplicates", "misses", "expected", "executions", "statements_per_execution",
                     "statements_per_execution_by_owner", "cpu_ms_per_execution", "settings" })
        {
            summary[key] = sustained[key]?.DeepClone();
        }

        section["sustained"] = summary;
    }

    private static async Task<JsonObject> RunOnceAsync(BenchContext context, NodeProfile profile, int triggers, int seconds, string variant = "")
    {
        var instance = $"bench-cron-{variant}{profile.Name}";
        await context.Db.ClearClusterAsync(instance);
        // Stored before the nodes start (see BurstWorkload), first fire once 3 nodes have had time to start.
        var start = TruncateToSecond(context.Time.GetUtcNow()).AddSeconds(context.Size(20, 8) + triggers / 200);
        var plan = new CronPlan(instance, new JobKey("cron", "bench"), triggers, start, seconds, WorkMs: 0, RequestsRecovery: true);
        context.Log($"cron: {triggers} triggers every second for {seconds} s from {start:HH:mm:ss}, 3 nodes, profile {profile.Name}");
        TimeSpan scheduling;
        await using (var client = await StoreClient.CreateAsync(context.Options.Connection, instance))
        {
            scheduling = await plan.ScheduleAsync(client);
        }

        JsonObject run;
        await using (var cluster = await NodeCluster.StartAsync(context.Options, instance, 3, profile))
        {
            var ready = context.Time.GetUtcNow();
            context.Log($"cron: stored in {scheduling.TotalSeconds:0.0} s; nodes ready {(start - ready).TotalSeconds:0.0} s before the first fire");
            var meter = await CostMeter.StartAsync(context.Db, cluster.Nodes);
            await CronAudit.WaitAsync(context, plan, cluster);
            run = await CronAudit.MeasureAsync(context, plan);
            CostMeter.Merge(run, await meter.StopAsync((long)run["executions"]!));
            run["nodes_ready_before_first_fire_s"] = Math.Round((start - ready).TotalSeconds, 1);
            cluster.EnsureAlive();
        }

        await context.Db.ClearClusterAsync(instance);
        run["profile"] = profile.Name;
        run["settings"] = profile.SettingsText;
        run["schedule_seconds"] = Math.Round(scheduling.TotalSeconds, 2);
        var settings = $"3 nodes, {triggers} triggers x 1/s x {seconds} s, profile {profile.Name}: {profile.SettingsText}";
        CronAudit.AddRows(context, "cron", run, plan, settings);
        CostMeter.AddRows(context, "cron", run, settings);
        if ((long)run["executions"]! == 0)
        {
            throw new WorkloadFailedException($"cron ({instance}): no executions");
        }

        return run;
    }

    internal static DateTimeOffset TruncateToSecond(DateTimeOffset t) => new(t.Ticks - t.Ticks % TimeSpan.TicksPerSecond, t.Offset);
}
