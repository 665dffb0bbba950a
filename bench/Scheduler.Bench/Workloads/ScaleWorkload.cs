using System.Text.Json.Nodes;
using Quartz;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// What idle nodes cost the database, and what a large store changes: statements/s and transactions/s per node and node
/// RSS, on 3 nodes, with an empty store, then with 100,000 triggers none of which is due (smoke: 2,000), then (full size only) with
/// 10 more triggers firing every 10 s.
/// </summary>
public sealed class ScaleWorkload : IWorkload
{
    private const int Nodes = 3;

    public string Name => "scale";

    public async Task RunAsync(BenchContext context)
    {
        var section = context.Results.Section(Name);
        section["mode"] = context.Mode;
        var runs = new JsonArray();
        section["runs"] = runs;
        var counter = new StatementCounter(context.Db);
        await counter.InitializeAsync();
        section["statements_source"] = counter.HasStatements ? "pg_stat_statements (calls)" : "unavailable: only pg_stat_database.xact_commit";
        foreach (var profile in context.Options.Profiles.Select(NodeProfile.Find))
        {
            var run = await RunOnceAsync(context, counter, profile);
            runs.Add(run);
            if (section["idle_statements_per_s_per_node"] is null)
            {
                var stored = (JsonObject)run["phases"]![1]!;
                section["idle_statements_per_s_per_node"] = stored["statements_per_s_per_node"]?.DeepClone();
                section["idle_transactions_per_s_per_node"] = stored["transactions_per_s_per_node"]?.DeepClone();
                section["rss_mib_max"] = stored["rss_mib_max"]?.DeepClone();
                section["stored_triggers"] = run["stored_triggers"]?.DeepClone();
                section["headline"] = $"{Nodes} nodes, {run["stored_triggers"]} triggers stored, none due, profile {profile.Name}";
            }
        }
    }

    private static async Task<JsonObject> RunOnceAsync(BenchContext context, StatementCounter counter, NodeProfile profile)
    {
        var instance = $"bench-scale-{profile.Name}";
        var stored = context.Size(100_000, 2_000);
        var window = TimeSpan.FromSeconds(context.Size(30, 8));
        await context.Db.ClearClusterAsync(instance);
        var phases = new JsonArray();
        var run = new JsonObject { ["profile"] = profile.Name, ["settings"] = profile.SettingsText, ["stored_triggers"] = stored, ["window_s"] = window.TotalSeconds, ["phases"] = phases };
        await using (var cluster = await NodeCluster.StartAsync(context.Options, instance, Nodes, profile))
        await using (var client = await StoreClient.CreateAsync(context.Options.Connection, instance))
        {
            await Task.Delay(TimeSpan.FromSeconds(context.Size(10, 3)));
            phases.Add(await MeasureAsync(context, counter, cluster, "empty store", window));

            var job = StoreClient.Heartbeat(new JobKey("idle", "bench"), 0, false);
            var later = context.Time.GetUtcNow().AddDays(30);
            var idle = Enumerable.Range(0, stored).Select(i => TriggerBuilder.Create().WithIdentity($"idle-{i:D6}", "bench")
                .ForJob(job).StartAt(later).WithSimpleSchedule().Build()).ToList();
            var took = await client.ScheduleAsync(job, idle, paused: false, chunk: 5000);
            run["schedule_seconds"] = Math.Round(took.TotalSeconds, 1);
            context.Log($"scale: stored {stored} triggers (next fire in 30 days) in {took.TotalSeconds:0.0} s");
            await Task.Delay(TimeSpan.FromSeconds(context.Size(10, 3)));
            phases.Add(await MeasureAsync(context, counter, cluster, $"{stored} triggers stored, none due", window));

            if (!context.Options.Smoke)
            {
                var few = StoreClient.Heartbeat(new JobKey("few", "bench"), 0, false);
                var due = Enumerable.Range(0, 10).Select(i => TriggerBuilder.Create().WithIdentity($"few-{i}", "bench").ForJob(few)
                    .WithCronSchedule("0/10 * * * * ?", c => c.InTimeZone(TimeZoneInfo.Utc)).Build()).ToList();
                await client.ScheduleAsync(few, due, paused: false);
                // The nodes notice triggers another process stored at their next idle poll (IdleWaitTime, 30 s), so wait past it.
                await Task.Delay(TimeSpan.FromSeconds(35));
                phases.Add(await MeasureAsync(context, counter, cluster, $"{stored} stored + 10 firing every 10 s", window));
            }

            cluster.EnsureAlive();
        }

        await context.Db.ClearClusterAsync(instance);
        foreach (var phase in phases.Cast<JsonObject>())
        {
            var settings = $"{Nodes} nodes, {phase["phase"]}, {window.TotalSeconds:0} s window, profile {profile.Name}: {profile.SettingsText}";
            context.Results.Row("scale", "statements/s per node", (double?)phase["statements_per_s_per_node"], "0.0", settings);
            context.Results.Row("scale", "transactions/s per node", (double?)phase["transactions_per_s_per_node"], "0.0", settings);
            context.Results.Row("scale", "node RSS max (MiB)", (double?)phase["rss_mib_max"], "0", settings);
        }

        return run;
    }

    private static async Task<JsonObject> MeasureAsync(BenchContext context, StatementCounter counter, NodeCluster cluster, string phase, TimeSpan window)
    {
        var before = await counter.TakeAsync();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(window);
        var after = await counter.TakeAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        cluster.EnsureAlive();
        var rss = cluster.Nodes.Select(n => n.RssMiB() ?? 0).ToList();
        var top = after.Top(before, 6).ToList();
        context.Log($"scale: {phase}: top statements in {seconds:0} s:{Environment.NewLine}    {string.Join(Environment.NewLine + "    ", top)}");
        return new JsonObject
        {
            ["phase"] = phase,
            ["seconds"] = Math.Round(seconds, 1),
            ["statements_per_s_per_node"] = counter.HasStatements ? Math.Round((after.Statements - before.Statements) / seconds / Nodes, 1) : null,
            ["transactions_per_s_per_node"] = Math.Round((after.Commits - before.Commits) / seconds / Nodes, 1),
            ["rss_mib_per_node"] = new JsonArray(rss.Select(r => (JsonNode)Math.Round(r, 0)).ToArray()),
            ["rss_mib_max"] = Math.Round(rss.Max(), 0),
            ["top_statements"] = new JsonArray(top.Select(t => (JsonNode)t).ToArray()),
        };
    }
}
