using System.Text.Json;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Observability;

/// <summary>What a node exports: OTLP metrics and traces when asked, JSON logs carrying the node id.</summary>
public sealed class TelemetryAndLoggingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task With_an_OTLP_endpoint_set_a_node_exports_Quartz_metrics_job_spans_and_its_logs()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("otlp");
        using var receiver = new OtlpReceiver();
        await using var node = SchedulerProcess.Start("node-otel", ["run", "--urls", "http://127.0.0.1:0"], NodeEnvironment.For(db, "node-otel",
            ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_METRIC_EXPORT_INTERVAL", "1000"),
            ("OTEL_BSP_SCHEDULE_DELAY", "200"),
            ("OTEL_SERVICE_NAME", "scheduler-under-test")));

        await Poll.UntilAsync(
            () => Task.FromResult(
                receiver.Received("/v1/metrics", "quartz.job.execution.duration")
                && receiver.Received("/v1/traces", "Quartz.Job.Execute")
                && receiver.Received("/v1/traces", "scheduler-under-test")
                && receiver.Received("/v1/logs", "Quartz Scheduler")
                && receiver.Received("/v1/logs", "scheduler-under-test")),
            Timeout, "Quartz metrics, job spans and log events over OTLP (received: " + receiver.Summary() + ")");
        node.Terminate();
        await node.WaitForExitAsync(Timeout);

        Assert.True(node.ExitCode == 0, node.Describe());
        Assert.True(receiver.Received("/v1/metrics", "node-otel"), "the resource names the node (service.instance.id)");
    }

    [Fact]
    public async Task Json_logging_writes_one_object_per_line_each_naming_the_node()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("jsonlog");
        await using var node = SchedulerProcess.Start("node-json", ["run", "--urls", "http://127.0.0.1:0"],
            NodeEnvironment.For(db, "node-json", ("Scheduler__Logging__Format", "json")));

        await Poll.UntilAsync(() => Task.FromResult(node.StandardOutput.Contains("started", StringComparison.Ordinal)), Timeout, "the scheduler to start");
        node.Terminate();
        await node.WaitForExitAsync(Timeout);

        var lines = node.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("node-json", json.RootElement.GetProperty("Properties").GetProperty("Node").GetString());
            Assert.True(json.RootElement.TryGetProperty("RenderedMessage", out _), line);
        }
    }
}
