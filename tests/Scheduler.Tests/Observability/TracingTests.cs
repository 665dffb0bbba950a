using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Observability;

/// <summary>One trace per run, linked to the API request that asked for it, with the run's SQL, HTTP calls and log events.</summary>
public sealed class TracingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_run_triggered_through_the_API_is_one_trace_linked_to_the_request_holding_its_SQL_HTTP_call_and_log_events()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("tracing");
        using var receiver = new OtlpReceiver();
        using var target = new RecordingServer(HttpStatusCode.OK);
        var secret = Guid.NewGuid().ToString("N");
        await using var node = await ObservedNode.StartAsync(db, "node-trace", null,
            ("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.Endpoint),
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
            ("OTEL_BSP_SCHEDULE_DELAY", "200"),
            ("Scheduler__Logging__Format", "json"),
            ("Scheduler__Jobs__heartbeat__Enabled", "false"),
            ("Scheduler__Jobs__ping__Type", "http"),
            ("Scheduler__Jobs__ping__Cron", "0 0 0 1 1 ? 2099"),
            ("Scheduler__Jobs__ping__Url", $"{target.Url}/ping?token=${{PING_TOKEN}}"),
            ("PING_TOKEN", secret));

        // The caller's own trace context, as a client that traces would send it.
        var callerTrace = ActivityTraceId.CreateRandom().ToHexString();
        var traceparent = $"00-{callerTrace}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
        await Poll.UntilAsync(async () =>
        {
            using var response = await node.PostAsync("/api/jobs/config/ping/trigger", ("traceparent", traceparent));
            return response.StatusCode == HttpStatusCode.Accepted;
        }, Timeout, "the trigger request to be accepted");

        OtlpSpans.Span? execute = null;
        await Poll.UntilAsync(() =>
        {
            execute = receiver.Spans().FirstOrDefault(s => s.Name == "Quartz.Job.Execute" && s.Links.Any(l => l.TraceId == callerTrace));
            return Task.FromResult(execute is not null && HasHttpCall(receiver.Spans(), execute.TraceId));
        }, Timeout, $"the run's spans over OTLP (received: {receiver.Summary()})");

        var spans = receiver.Spans();
        var request = Assert.Single(spans, s => s.TraceId == callerTrace && s.Name.StartsWith("POST /api/jobs/", StringComparison.Ordinal));
        Assert.Equal(request.SpanId, execute!.Links.Single(l => l.TraceId == callerTrace).SpanId);
        Assert.Equal("", execute.ParentSpanId);
        Assert.NotEqual(callerTrace, execute.TraceId);

        var run = spans.Where(s => s.TraceId == execute.TraceId).ToList();
        Assert.Contains(run, s => s.Attributes.GetValueOrDefault("db.system.name") == "postgresql");
        Assert.All(run, s => Assert.True(DescendsFrom(s, execute, run), $"{s.Name} ({s.SpanId}) is not under the run's span"));
        Assert.Contains(execute.TraceId, target.Requests.Single().TraceParent, StringComparison.Ordinal);
        // The URL's query is where an http job's secrets go: its values are redacted in the client span.
        Assert.Equal($"/ping?token={secret}", target.Requests.Single().PathAndQuery);
        Assert.DoesNotContain(spans, s => s.Attributes.Values.Any(v => v.Contains(secret, StringComparison.Ordinal)));
        Assert.DoesNotContain(secret, node.Process.StandardOutput, StringComparison.Ordinal);

        // The JSON log events written while the job ran carry the run's trace and one of its spans.
        var runSpans = run.Select(s => s.SpanId).ToHashSet();
        var events = LogEvents(node.Process.StandardOutput)
            .Where(e => e.TryGetProperty("TraceId", out var t) && t.GetString() == execute.TraceId)
            .ToList();
        Assert.Contains(events, e => e.GetProperty("MessageTemplate").GetString()!.StartsWith("http job", StringComparison.Ordinal));
        Assert.All(events, e => Assert.Contains(e.GetProperty("SpanId").GetString() ?? "", runSpans));

        // The request log's event is in the caller's trace, on the request's span, naming the key that asked.
        var logged = Assert.Single(LogEvents(node.Process.StandardOutput), e => e.GetProperty("Properties").TryGetProperty("RequestPath", out var path)
            && path.GetString() == "/api/jobs/config/ping/trigger" && e.GetProperty("Properties").GetProperty("StatusCode").GetInt32() == 202);
        Assert.Equal(callerTrace, logged.GetProperty("TraceId").GetString());
        Assert.Equal(request.SpanId, logged.GetProperty("SpanId").GetString());
        Assert.Equal("test-operator", logged.GetProperty("Properties").GetProperty("User").GetString());
    }

    private static bool HasHttpCall(IReadOnlyList<OtlpSpans.Span> spans, string traceId) =>
        spans.Any(s => s.TraceId == traceId && s.Attributes.GetValueOrDefault("url.full")?.Contains("/ping?", StringComparison.Ordinal) == true);

    private static bool DescendsFrom(OtlpSpans.Span span, OtlpSpans.Span root, List<OtlpSpans.Span> trace)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId))
        {
            if (current.SpanId == root.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<JsonElement> LogEvents(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement);
}
