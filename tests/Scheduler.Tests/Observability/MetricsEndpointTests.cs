using System.Net;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Observability;

/// <summary><c>/metrics</c> on a real node: who may read it, and that our series mean what README says.</summary>
public sealed class MetricsEndpointTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string Heartbeat = "samples.heartbeat";

    [Fact]
    public async Task Metrics_are_served_in_Prometheus_format_to_viewer_and_operator_keys_and_refused_without_one()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("metrics-auth");
        const string password = "not-a-real-password-4711";
        await using var node = await ObservedNode.StartAsync(db, "node-metrics", new Dictionary<string, string?>
        {
            // Trust authentication ignores it; it must not surface in a label (Npgsql names its pool after the data source).
            ["ConnectionStrings__Scheduler"] = db.ConnectionString + $";Password={password}",
        });
        // ASP.NET Core records a request's duration once it has ended: the scrape after the first shows it.
        await Poll.UntilAsync(async () => (await node.ScrapeAsync()) is var m
            && m.Value("scheduler_occurrence_claims_total", ("quartz_job_key", Heartbeat), ("scheduler_claim_outcome", "claimed")) >= 1
            && m.Find("http_server_request_duration_seconds_count", ("http_route", "/metrics")).Any(), Timeout, "a claim of the heartbeat in /metrics");

        using (var anonymous = await node.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using (var wrong = await node.GetAsync("/metrics", "not-a-key-0123456789"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var asOperator = await node.GetAsync("/metrics", WebNode.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, asOperator.StatusCode);
        using var asViewer = await node.GetAsync("/metrics", WebNode.ViewerKey);
        Assert.Equal(HttpStatusCode.OK, asViewer.StatusCode);
        Assert.Equal("text/plain", asViewer.Content.Headers.ContentType?.MediaType);
        var text = await asViewer.Content.ReadAsStringAsync();
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        var metrics = PrometheusText.Parse(text);

        // Ours, Quartz's (in seconds buckets, not the SDK's millisecond defaults), Npgsql's, ASP.NET Core's, the runtime's.
        Assert.NotEmpty(metrics.Find("scheduler_occurrence_lateness_seconds_bucket", ("quartz_job_key", Heartbeat), ("le", "0.005")));
        Assert.NotEmpty(metrics.Find("scheduler_history_write_behind_queue"));
        Assert.NotEmpty(metrics.Find("scheduler_reconcile_changes_total", ("scheduler_change", "added")));
        Assert.NotEmpty(metrics.Find("quartz_job_execution_duration_seconds_bucket", ("quartz_job_name", "heartbeat"), ("le", "0.005")));
        Assert.NotEmpty(metrics.Find("quartz_cluster_checkin_duration_seconds_count", ("quartz_scheduler_id", "node-metrics")));
        Assert.NotEmpty(metrics.Find("db_client_operation_duration_seconds_count", ("db_client_connection_pool_name", "node-metrics")));
        Assert.NotEmpty(metrics.Find("http_server_request_duration_seconds_count", ("http_route", "/metrics")));
        Assert.NotEmpty(metrics.Find("dotnet_gc_collections_total"));
        Assert.Equal(1, metrics.Value("target_info", ("service_instance_id", "node-metrics")));
    }

    [Fact]
    public async Task The_lateness_histogram_counts_each_first_claim_once_with_the_lateness_the_ledger_records()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("metrics-lateness");
        await using var node = await ObservedNode.StartAsync(db, "node-lateness");
        await Poll.UntilAsync(async () => await ClaimsAsync(db) >= 3, Timeout, "three heartbeat claims in the ledger");

        // Stop the fires, then wait for the ledger to settle: every claim ended and the count no longer moving.
        using (var pause = await node.PostAsync("/api/jobs/samples/heartbeat/pause"))
        {
            Assert.True(pause.IsSuccessStatusCode, $"pause answered {pause.StatusCode}");
        }

        var last = -1L;
        await Poll.UntilAsync(async () =>
        {
            var open = await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_occurrences WHERE state = 'claimed'");
            var now = await ClaimsAsync(db);
            var settled = open == 0 && now == last;
            last = now;
            await Task.Delay(500);
            return settled;
        }, Timeout, "the heartbeat's ledger to settle after the pause");

        var ledgerSum = await db.ScalarAsync<double>(
            """
            SELECT coalesce(sum(greatest(0, extract(epoch FROM claimed_at - scheduled_fire_time))), 0)::float8
            FROM scheduler_occurrences WHERE job_group = 'samples' AND job_name = 'heartbeat' AND attempts = 1
            """);
        var metrics = await node.ScrapeAsync();
        var count = metrics.Value("scheduler_occurrence_lateness_seconds_count", ("quartz_job_key", Heartbeat));
        var sum = metrics.Value("scheduler_occurrence_lateness_seconds_sum", ("quartz_job_key", Heartbeat));

        Assert.Equal(last, count);
        Assert.NotNull(sum);
        Assert.InRange(sum.Value, ledgerSum - 0.001, ledgerSum + 0.001);
        Assert.Equal(last, metrics.Value("scheduler_occurrence_lateness_seconds_bucket", ("quartz_job_key", Heartbeat), ("le", "+Inf")));
    }

    [Fact]
    public async Task Cluster_gauges_report_what_the_store_says_about_errors_check_ins_and_successes()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("metrics-cluster");
        await using var node = await ObservedNode.StartAsync(db, "node-cluster", null,
            ("Scheduler__Telemetry__SampleInterval", "00:00:01"),
            ("Scheduler__Jobs__heartbeat__SucceedWithin", "00:01:00"),
            ("Scheduler__Jobs__idle__Type", "heartbeat"),
            ("Scheduler__Jobs__idle__Cron", "0 0 0 1 1 ? 2099"),
            ("Scheduler__Jobs__idle__SucceedWithin", "00:00:02"));

        await Poll.UntilAsync(async () => (await node.ScrapeAsync()).Value("scheduler_job_success_age_seconds", ("quartz_job_key", "config.idle")) > 2,
            Timeout, "the never-run job's success age to pass its window");
        var metrics = await node.ScrapeAsync();
        Assert.Equal(60, metrics.Value("scheduler_job_success_window_seconds", ("quartz_job_key", Heartbeat)));
        Assert.Equal(2, metrics.Value("scheduler_job_success_window_seconds", ("quartz_job_key", "config.idle")));
        Assert.InRange(metrics.Value("scheduler_job_success_age_seconds", ("quartz_job_key", Heartbeat)) ?? -1, 0, 10);
        Assert.InRange(metrics.Value("scheduler_cluster_node_checkin_age_seconds", ("scheduler_node", "node-cluster")) ?? -1, 0, 10);
        Assert.Empty(metrics.Find("scheduler_triggers_error"));

        // Quartz's own ERROR state, as a job that cannot be built leaves it: the gauge reads the store, whoever put it there.
        await db.ExecuteAsync("UPDATE qrtz_triggers SET trigger_state = 'ERROR' WHERE job_group = 'config' AND job_name = 'idle'");
        await Poll.UntilAsync(async () => (await node.ScrapeAsync()).Value("scheduler_triggers_error", ("quartz_job_key", "config.idle")) == 1,
            Timeout, "the trigger in ERROR to be counted");
    }

    private static Task<long> ClaimsAsync(TestDatabase db) => db.ScalarAsync<long>(
        "SELECT count(*) FROM scheduler_occurrences WHERE job_group = 'samples' AND job_name = 'heartbeat' AND attempts = 1");
}
