using System.Globalization;
using System.Text.Json.Nodes;
using Quartz;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// The top-of-the-hour herd: 1,000 and then 10,000 recurring cron triggers (smoke: 20 and 50) all due at the same second, on 3 nodes at
/// the shipped defaults. Per size: the seconds until every one had started (<c>all_started_s</c>, from the scheduled second to the
/// last job start), lateness p50/p99/max, duplicates, misses, and what one execution cost (<see cref="CostMeter"/>). A warm-up
/// herd of up to 200 other triggers fires 15 s before each, so the nodes have run the fire path before, as long-running nodes have.
/// </summary>
public sealed class HerdWorkload : IWorkload
{
    public string Name => "herd";

    public async Task RunAsync(BenchContext context)
    {
        var section = context.Results.Section(Name);
        section["mode"] = context.Mode;
        section["nodes"] = 3;
        section["settings"] = NodeProfile.Default.SettingsText;
        foreach (var size in Sizes(context))
        {
            section[size.ToString(CultureInfo.InvariantCulture)] = await RunOnceAsync(context, size);
        }
    }

    /// <summary>The sizes to run: 1,000 and 10,000 (smoke: 20 and 50), or those <c>BENCH_HERD_SIZES</c> lists (e.g. <c>1000</c>).</summary>
    private static IEnumerable<int> Sizes(BenchContext context) =>
        Environment.GetEnvironmentVariable("BENCH_HERD_SIZES") is { Length: > 0 } list
            ? list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))
            : [context.Size(1000, 20), context.Size(10_000, 50)];

    /// <summary>How many triggers the warm-up herd has (fewer when the herd itself is smaller).</summary>
    private const int WarmupTriggers = 200;

    /// <summary>Waits (until 2 s before the herd) for the warm-up herd to have run, then removes its rows so the audit sees the herd alone.</summary>
    private static async Task WaitForWarmupAsync(BenchContext context, CronPlan warmup, DateTimeOffset due)
    {
        const string Rows = "FROM scheduler_heartbeat WHERE sched_name = @s AND scheduled_fire_time = @t";
        while (context.Time.GetUtcNow() < due.AddSeconds(-2)
            && await context.Db.ScalarAsync<long>($"SELECT count(*) {Rows}", ("s", warmup.Instance), ("t", warmup.Start)) < warmup.Triggers)
        {
            await Task.Delay(500);
        }

        await context.Db.ExecuteAsync($"DELETE {Rows}", ("s", warmup.Instance), ("t", warmup.Start));
    }

    private static async Task<JsonObject> RunOnceAsync(BenchContext context, int triggers)
    {
        var instance = $"bench-herd-{triggers}";
        await context.Db.ClearClusterAsync(instance);
        // Every trigger's one fire at the same whole second, once 3 nodes have had time to start (storing first, as in cron).
        var due = CronWorkload.TruncateToSecond(context.Time.GetUtcNow()).AddSeconds(context.Size(30, 20) + triggers / 200);
        var plan = new CronPlan(instance, new JobKey("herd", "bench"), triggers, due, Seconds: 1, WorkMs: 0, RequestsRecovery: true, Hourly: true);
        context.Log($"herd: {triggers} cron triggers all due at {due:HH:mm:ss}, 3 nodes, shipped defaults");
        // Nodes that have fired before, as at any top of the hour but the first after a deploy: a smaller herd of other triggers
        // fires 15 s earlier, so the measured one does not pay for the first JIT compilation of the fire path.
        var warmup = new CronPlan(instance, new JobKey("herd-warmup", "warmup"), Math.Min(triggers, WarmupTriggers), due.AddSeconds(-15),
            Seconds: 1, WorkMs: 0, RequestsRecovery: true, Hourly: true);
        TimeSpan scheduling;
        await using (var client = await StoreClient.CreateAsync(context.Options.Connection, instance))
        {
            scheduling = await plan.ScheduleAsync(client);
            await warmup.ScheduleAsync(client);
        }

        JsonObject run;
        await using (var cluster = await NodeCluster.StartAsync(context.Options, instance, 3, NodeProfile.Default))
        {
            var ready = context.Time.GetUtcNow();
            if (ready >= due)
            {
                throw new WorkloadFailedException($"herd ({instance}): the nodes were ready only {(ready - due).TotalSeconds:0.0} s after the due second");
            }

            await WaitForWarmupAsync(context, warmup, due);

            // The cost window opens a second before the due second, so the nodes' idle wait until then is not counted.
            var idle = due - context.Time.GetUtcNow() - TimeSpan.FromSeconds(1);
            if (idle > TimeSpan.Zero)
            {
                await Task.Delay(idle);
            }

            var meter = await CostMeter.StartAsync(context.Db, cluster.Nodes);
            await CronAudit.WaitAsync(context, plan, cluster);
            run = await CronAudit.MeasureAsync(context, plan);
            CostMeter.Merge(run, await meter.StopAsync((long)run["executions"]!));
            run["nodes_ready_before_due_s"] = Math.Round((due - ready).TotalSeconds, 1);
            cluster.EnsureAlive();
        }

        await context.Db.ClearClusterAsync(instance);
        var max = (double?)((JsonObject)run["lateness_ms"]!)["max"];
        run["all_started_s"] = max is { } m ? Math.Round(m / 1000, 3) : null;
        run["schedule_seconds"] = Math.Round(scheduling.TotalSeconds, 2);
        var settings = $"3 nodes, {triggers} triggers due at one second, shipped defaults";
        context.Results.Row("herd", "all started after (s)", (double?)run["all_started_s"], "0.000", settings);
        CronAudit.AddRows(context, "herd", run, plan, settings);
        CostMeter.AddRows(context, "herd", run, settings);
        if ((long)run["executions"]! == 0)
        {
            throw new WorkloadFailedException($"herd ({instance}): no executions");
        }

        return run;
    }
}
