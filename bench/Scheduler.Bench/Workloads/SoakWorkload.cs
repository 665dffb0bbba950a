using System.Text.Json.Nodes;
using Quartz;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// A long steady load: 40 cron triggers firing every second for <c>--minutes</c> (default 20; smoke: 5 triggers for 1 minute) on
/// 3 nodes at the shipped defaults. Reports deadlocks (PostgreSQL's own <c>pg_stat_database.deadlocks</c> for the database, over the
/// window), lateness p50/p99/max, duplicates and misses, the nodes' RSS over time (<c>rss_mib.start</c>/<c>end</c>: the mean of the
/// nodes at the first and last sample, one sample every 10 s), and the cost of one execution.
/// </summary>
public sealed class SoakWorkload : IWorkload
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    public string Name => "soak";

    public async Task RunAsync(BenchContext context)
    {
        var triggers = context.Size(40, 5);
        var minutes = context.Options.Minutes ?? context.Size(20, 1);
        var instance = "bench-soak";
        await context.Db.ClearClusterAsync(instance);
        var start = CronWorkload.TruncateToSecond(context.Time.GetUtcNow()).AddSeconds(context.Size(20, 10));
        var plan = new CronPlan(instance, new JobKey("soak", "bench"), triggers, start, minutes * 60, WorkMs: 0, RequestsRecovery: true);
        context.Log($"soak: {triggers} triggers every second for {minutes} min from {start:HH:mm:ss}, 3 nodes, shipped defaults");
        await using (var client = await StoreClient.CreateAsync(context.Options.Connection, instance))
        {
            await plan.ScheduleAsync(client);
        }

        var section = context.Results.Section(Name);
        JsonObject run;
        var samples = new JsonArray();
        await using (var cluster = await NodeCluster.StartAsync(context.Options, instance, 3, NodeProfile.Default))
        {
            var deadlocksBefore = await DeadlocksAsync(context.Db);
            var meter = await CostMeter.StartAsync(context.Db, cluster.Nodes);
            using var stop = new CancellationTokenSource();
            var sampler = SampleRssAsync(context, cluster, samples, stop.Token);
            await CronAudit.WaitAsync(context, plan, cluster);
            await stop.CancelAsync();
            await sampler;
            run = await CronAudit.MeasureAsync(context, plan);
            CostMeter.Merge(run, await meter.StopAsync((long)run["executions"]!));
            run["deadlocks"] = await DeadlocksAsync(context.Db) - deadlocksBefore;
            cluster.EnsureAlive();
        }

        await context.Db.ClearClusterAsync(instance);
        var means = samples.Select(s => (double)s!["mean"]!).ToList();
        run["rss_mib"] = new JsonObject
        {
            ["start"] = means.Count > 0 ? means[0] : null,
            ["end"] = means.Count > 0 ? means[^1] : null,
            ["max"] = samples.Count > 0 ? samples.Max(s => (double)s!["max"]!) : null,
            // What the resident set is made of at the first and last sample (means over the nodes): see NodeProcess.Memory.
            ["parts_start"] = samples.Count > 0 ? Parts(samples[0]!) : null,
            ["parts_end"] = samples.Count > 0 ? Parts(samples[^1]!) : null,
            ["samples"] = samples,
        };
        run["minutes"] = minutes;
        run["settings"] = NodeProfile.Default.SettingsText;
        foreach (var (key, value) in run)
        {
            section[key] = value?.DeepClone();
        }

        section["mode"] = context.Mode;
        var settings = $"3 nodes, {triggers} triggers x 1/s x {minutes} min, shipped defaults";
        context.Results.Row("soak", "deadlocks", (long)run["deadlocks"]!, "0", settings);
        CronAudit.AddRows(context, "soak", run, plan, settings);
        context.Results.Row("soak", "node RSS at start (MiB, mean)", (double?)run["rss_mib"]!["start"], "0.0", settings);
        context.Results.Row("soak", "node RSS at end (MiB, mean)", (double?)run["rss_mib"]!["end"], "0.0", settings);
        CostMeter.AddRows(context, "soak", run, settings);
        if ((long)run["executions"]! == 0)
        {
            throw new WorkloadFailedException($"soak ({instance}): no executions");
        }
    }

    private static JsonObject Parts(JsonNode sample) => new()
    {
        ["anon"] = sample["anon_mean"]?.DeepClone(),
        ["file"] = sample["file_mean"]?.DeepClone(),
        ["shmem"] = sample["shmem_mean"]?.DeepClone(),
    };

    private static Task<long> DeadlocksAsync(BenchDatabase db) =>
        db.ScalarAsync<long>("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");

    /// <summary>Every <see cref="SampleEvery"/>: seconds since the first sample, each node's RSS, their mean and max.</summary>
    private static async Task SampleRssAsync(BenchContext context, NodeCluster cluster, JsonArray samples, CancellationToken stop)
    {
        var first = context.Time.GetUtcNow();
        while (true)
        {
            var memory = cluster.Nodes.Select(n => n.Memory()).OfType<(double Rss, double Anon, double File, double Shmem)>().ToList();
            if (memory.Count > 0)
            {
                var rss = memory.Select(m => m.Rss).ToList();
                samples.Add(new JsonObject
                {
                    ["t_s"] = Math.Round((context.Time.GetUtcNow() - first).TotalSeconds, 0),
                    ["mean"] = Math.Round(rss.Average(), 1),
                    ["max"] = Math.Round(rss.Max(), 1),
                    ["nodes"] = new JsonArray(rss.Select(r => (JsonNode?)JsonValue.Create(Math.Round(r, 1))).ToArray()),
                    ["anon_mean"] = Math.Round(memory.Average(m => m.Anon), 1),
                    ["file_mean"] = Math.Round(memory.Average(m => m.File), 1),
                    ["shmem_mean"] = Math.Round(memory.Average(m => m.Shmem), 1),
                });
            }

            try
            {
                await Task.Delay(SampleEvery, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
