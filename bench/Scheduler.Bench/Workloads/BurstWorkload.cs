using System.Diagnostics;
using System.Text.Json.Nodes;
using Quartz;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// N one-shot triggers due at once on the heartbeat job (workMs 0): stored paused through Quartz's API and resumed in one
/// call before the nodes start, then executions/s from the first job start to the last heartbeat row committed. Per node count and profile,
/// plus history and fencing off ("bare") to show what the two cost.
/// </summary>
public sealed class BurstWorkload : IWorkload
{
    public string Name => "burst";

    public async Task RunAsync(BenchContext context)
    {
        var triggers = context.Size(20_000, 200);
        var runs = new JsonArray();
        var section = context.Results.Section(Name);
        section["mode"] = context.Mode;
        section["triggers"] = triggers;
        section["runs"] = runs;
        var variants = context.Options.Profiles.Select(NodeProfile.Find)
            .SelectMany(p => new[] { (Nodes: 1, Profile: p), (Nodes: 3, Profile: p) })
            .Append((Nodes: 3, Profile: NodeProfile.Bare)).Distinct();
        foreach (var (nodes, profile) in variants)
        {
            var run = await RunOnceAsync(context, nodes, profile, triggers);
            runs.Add(run);
            if (nodes == 3 && section["executions_per_s"] is null)
            {
                section["executions_per_s"] = run["executions_per_s"]?.DeepClone();
                section["statements_per_execution"] = run["statements_per_execution"]?.DeepClone();
                section["cpu_ms_per_execution"] = run["cpu_ms_per_execution"]?.DeepClone();
                section["schedule_seconds"] = run["schedule_seconds"]?.DeepClone();
                section["headline"] = $"3 nodes, profile {profile.Name}";
            }
        }
    }

    private static async Task<JsonObject> RunOnceAsync(BenchContext context, int nodes, NodeProfile profile, int count)
    {
        var instance = $"bench-burst-{nodes}n-{profile.Name}";
        context.Log($"burst: {count} one-shot triggers, {nodes} node(s), profile {profile.Name}");
        await context.Db.ClearClusterAsync(instance);
        JsonObject run;
        TimeSpan scheduling, resumeTime;
        // Stored before the nodes start: a node idle-waits up to Quartz:Scheduler:IdleWaitTime (30 s) before it looks at
        // the store again, and nothing tells it about triggers another process added, so they would sit there until then.
        await using (var client = await StoreClient.CreateAsync(context.Options.Connection, instance))
        {
            var job = StoreClient.Heartbeat(new JobKey("burst", "bench"), workMs: 0, requestsRecovery: false);
            var now = context.Time.GetUtcNow();
            var triggers = Enumerable.Range(0, count).Select(i => TriggerBuilder.Create()
                .WithIdentity($"burst-{i:D6}", "bench").ForJob(job).StartAt(now)
                .WithSimpleSchedule(s => s.WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow)).Build()).ToList();
            scheduling = await client.ScheduleAsync(job, triggers, paused: true);
            var resume = Stopwatch.StartNew();
            await client.Scheduler.ResumeJob(job.Key);
            resumeTime = resume.Elapsed;
            context.Log($"burst: stored {count} triggers in {scheduling.TotalSeconds:0.0} s, resumed in {resumeTime.TotalSeconds:0.0} s; starting nodes");
        }

        // Every trigger is due before the nodes start, and a full burst takes longer than the shipped 60 s misfire threshold to
        // drain: the tail would then be measured as misfire recovery (a 13,000-trigger backlog stalled a node for 30 s here),
        // not as firing. So the burst's nodes get a 10-minute threshold, and the settings printed say so.
        var burstProfile = profile with
        {
            Settings = new Dictionary<string, string>(profile.Settings) { ["Quartz__JobStore__MisfireThreshold"] = "00:10:00" },
        };
        // The nodes fire as they start, so the cost counts from before they start: their start-up is included, which a burst
        // of 20,000 amortises (at smoke size it dominates).
        var meter = await CostMeter.StartBeforeNodesAsync(context.Db);
        await using (var cluster = await NodeCluster.StartAsync(context.Options, instance, nodes, burstProfile))
        {
            await WaitForAsync(context, cluster, instance, count);
            run = await MeasureAsync(context, instance, count);
            CostMeter.Merge(run, await meter.StopAsync((long)run["executions"]!, cluster.Nodes));
            run["cost_includes_node_start"] = true;
            run["nodes"] = nodes;
            run["profile"] = profile.Name;
            run["settings"] = burstProfile.SettingsText;
            run["schedule_seconds"] = Math.Round(scheduling.TotalSeconds, 2);
            run["schedule_triggers_per_s"] = Math.Round(count / scheduling.TotalSeconds, 0);
            run["resume_seconds"] = Math.Round(resumeTime.TotalSeconds, 2);
            cluster.EnsureAlive();
        }

        await context.Db.ClearClusterAsync(instance);
        var settings = $"{nodes} node(s), {count} triggers, profile {profile.Name}: {burstProfile.SettingsText}";
        context.Results.Row("burst", "executions/s", (double?)run["executions_per_s"], "0.0", settings);
        CostMeter.AddRows(context, "burst", run, settings);
        context.Results.Row("burst", "scheduling triggers (s)", (double?)run["schedule_seconds"], "0.0", $"{count} triggers, chunks of 1000, stored paused");
        var executed = (long)run["executions"]!;
        if (executed < count)
        {
            throw new WorkloadFailedException($"burst ({instance}): {executed} of {count} triggers executed");
        }

        return run;
    }

    private static async Task WaitForAsync(BenchContext context, NodeCluster cluster, string instance, int count)
    {
        var stall = TimeSpan.FromSeconds(30);
        var last = -1L;
        var progressAt = context.Time.GetUtcNow();
        while (true)
        {
            var done = await context.Db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat WHERE sched_name = @s", ("s", instance));
            if (done >= count)
            {
                return;
            }

            cluster.EnsureAlive();
            if (done != last)
            {
                (last, progressAt) = (done, context.Time.GetUtcNow());
            }
            else if (context.Time.GetUtcNow() - progressAt > stall)
            {
                context.Log($"burst: stalled at {done} of {count} executions for {stall.TotalSeconds:0} s");
                return;
            }

            await Task.Delay(500);
        }
    }

    private static async Task<JsonObject> MeasureAsync(BenchContext context, string instance, int count)
    {
        var row = (await context.Db.RowsAsync(
            """
            SELECT count(*), count(DISTINCT trigger_name),
                   extract(epoch FROM max(recorded_at) - min(started_at)),
                   (SELECT count(*) FROM qrtz_execution_history e WHERE e.sched_name = @s AND NOT e.succeeded),
                   (SELECT string_agg(instance_id || '=' || n, ' ' ORDER BY instance_id)
                      FROM (SELECT instance_id, count(*) n FROM scheduler_heartbeat WHERE sched_name = @s GROUP BY 1) p)
            FROM scheduler_heartbeat WHERE sched_name = @s
            """, ("s", instance)))[0];
        var executions = Convert.ToInt64(row[0], System.Globalization.CultureInfo.InvariantCulture);
        var seconds = row[2] is null ? 0 : Convert.ToDouble(row[2], System.Globalization.CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["triggers"] = count,
            ["executions"] = executions,
            ["distinct_triggers_executed"] = Convert.ToInt64(row[1], System.Globalization.CultureInfo.InvariantCulture),
            ["seconds_first_start_to_last_completion"] = Math.Round(seconds, 3),
            ["executions_per_s"] = seconds > 0 ? Math.Round(executions / seconds, 1) : null,
            ["failed_executions_in_history"] = Convert.ToInt64(row[3], System.Globalization.CultureInfo.InvariantCulture),
            ["per_node"] = (string?)row[4],
        };
    }
}
