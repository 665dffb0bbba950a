using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Observability;

/// <summary>The shipped scrape config, run by a real Prometheus against a real node.</summary>
public sealed class PrometheusScrapeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_real_Prometheus_scrapes_a_node_with_the_viewer_key_and_sees_the_lateness_histogram_and_the_rules()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("prometheus-scrape");
        await using var node = await ObservedNode.StartAsync(db, "node-scraped");
        using var config = new PrometheusConfigCopy();
        config.WriteTargets([node.Address!.Authority]);
        // Scrape and evaluate every second instead of every 15 s; everything else is the shipped file.
        config.Edit(text => text.Replace("scrape_interval: 15s", "scrape_interval: 1s").Replace("evaluation_interval: 15s", "evaluation_interval: 1s"));
        await using var prometheus = PrometheusServer.Start(config);

        const string lateness = """sum by (quartz_job_key, node) (scheduler_occurrence_lateness_seconds_count{job="scheduler"})""";
        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)> series = [];
        await Poll.UntilAsync(async () => (series = await prometheus.QueryAsync(lateness)).Any(s => s.Value >= 2), Timeout,
            $"Prometheus to hold the heartbeat's lateness histogram. Prometheus log:\n{prometheus.Log}");

        var heartbeat = Assert.Single(series);
        Assert.Equal("samples.heartbeat", heartbeat.Labels["quartz_job_key"]);
        Assert.Equal("node-1", heartbeat.Labels["node"]);
        Assert.Equal(1, Assert.Single(await prometheus.QueryAsync("""up{job="scheduler"}""")).Value);
        var buckets = await prometheus.QueryAsync("""scheduler_occurrence_lateness_seconds_bucket{quartz_job_key="samples.heartbeat"}""");
        Assert.Equal(SchedulerBuckets + 1, buckets.Count);
        var rules = await prometheus.GetAsync("/api/v1/rules");
        Assert.NotNull(rules);
        Assert.Contains("\"SchedulerLatenessHigh\"", rules, StringComparison.Ordinal);
        Assert.DoesNotContain("\"health\":\"err\"", rules, StringComparison.Ordinal);

        // The Grafana dashboard's queries, with its variables as Grafana fills them: each evaluates, and the firing and
        // lateness panels show the heartbeat.
        var queries = GrafanaDashboard.Queries().Select(q => q.Replace("$__rate_interval", "1m").Replace("$node", ".*")).ToList();
        foreach (var query in queries)
        {
            Assert.Null(await prometheus.ErrorOfAsync(query));
        }

        // A rate needs two scrapes of the series in its window.
        var latenessP99 = queries.First(q => q.Contains("histogram_quantile(0.99, sum by (le, quartz_job_key)", StringComparison.Ordinal));
        var firingRate = queries.First(q => q.Contains("rate(quartz_job_execution_duration_seconds_count", StringComparison.Ordinal));
        await Poll.UntilAsync(async () => (await prometheus.QueryAsync(latenessP99)).Any(s => double.IsFinite(s.Value))
            && (await prometheus.QueryAsync(firingRate)).Any(s => s.Value > 0), Timeout, "the dashboard's lateness and firing panels to show the heartbeat");
    }

    private static readonly int SchedulerBuckets = Scheduler.Core.Telemetry.SchedulerMetrics.LatenessBuckets.Count;
}
