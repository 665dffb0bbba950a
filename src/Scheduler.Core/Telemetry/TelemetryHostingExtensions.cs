using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Scheduler.Data;

namespace Scheduler.Core.Telemetry;

/// <summary>
/// OpenTelemetry through its hosting integration: traces of API requests, Quartz firings, Npgsql commands and outgoing
/// HTTP calls; metrics of Quartz, ours, Npgsql, ASP.NET Core and the runtime. Metrics are always served in Prometheus
/// format (mapped at <c>/metrics</c> by Scheduler.Web); both signals also go over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// is set. The SDK reads the standard <c>OTEL_*</c> variables itself (protocol, headers, intervals); the providers start
/// and flush with the host.
/// </summary>
public static class TelemetryHostingExtensions
{
    /// <summary>Meters exported besides the instrumentations': Quartz's own and ours. README lists their instruments.</summary>
    public static readonly string[] Meters = ["Quartz", SchedulerMetrics.MeterName];

    /// <summary>Activity sources exported besides the instrumentations': the <c>Quartz.Job.Execute</c> spans (and Quartz's store spans).</summary>
    public static readonly string[] Sources = ["Quartz"];

    /// <summary>The OTLP endpoint variable; unset, nothing is pushed (Prometheus scrapes <c>/metrics</c>).</summary>
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Buckets in seconds for Quartz's duration histograms (execution, lock wait, check-in, acquisition), which carry no
    /// advice of their own: the SDK's default buckets are meant for milliseconds and would put every run under 5 s in one.
    /// </summary>
    public static readonly double[] QuartzDurationBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

    /// <summary>Paths whose requests make no span: probes and scrapes every few seconds would drown the traces that matter.</summary>
    private static readonly PathString[] Unsampled = ["/health", "/metrics"];

    public static IHostApplicationBuilder AddSchedulerTelemetry(this IHostApplicationBuilder builder, string nodeId)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointKey]);
        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "scheduler";
        var version = typeof(TelemetryHostingExtensions).Assembly.GetName().Version?.ToString();

        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<SchedulerMetrics>();
        builder.Services.TryAddSingleton<HistoryQueueGauge>();
        builder.Services.AddOptions<TelemetryOptions>()
            .BindConfiguration(TelemetryOptions.SectionName)
            .Validate(o => o.SampleInterval >= TimeSpan.FromSeconds(1) && o.SampleInterval <= TimeSpan.FromMinutes(10),
                $"{TelemetryOptions.SectionName}:SampleInterval must be between 00:00:01 and 00:10:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ClusterStateSampler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClusterStateSampler>());
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: version, serviceInstanceId: nodeId))
            .WithTracing(t => Tracing(t, otlp))
            .WithMetrics(m => Metrics(m, otlp));
        return builder;
    }

    private static void Tracing(TracerProviderBuilder tracing, bool otlp)
    {
        tracing.AddSource(Sources)
            .AddAspNetCoreInstrumentation(o => o.Filter = c => !Unsampled.Any(p => c.Request.Path.StartsWithSegments(p)))
            .AddHttpClientInstrumentation()
            .AddSchedulerDataTracing();
        if (otlp)
        {
            tracing.AddOtlpExporter();
        }
    }

    private static void Metrics(MeterProviderBuilder metrics, bool otlp)
    {
        metrics.AddMeter(Meters)
            .AddView(i => i.Meter.Name == "Quartz" && i is Histogram<double> && i.Unit == "s"
                ? new ExplicitBucketHistogramConfiguration { Boundaries = QuartzDurationBuckets }
                : null)
            // Constructed with the provider, so their observable instruments exist from the first collection.
            .AddInstrumentation(sp => sp.GetRequiredService<SchedulerMetrics>())
            .AddInstrumentation(sp => sp.GetRequiredService<HistoryQueueGauge>())
            .AddInstrumentation(sp => sp.GetRequiredService<ClusterStateSampler>())
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddSchedulerDataMetrics()
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter();
        if (otlp)
        {
            metrics.AddOtlpExporter();
        }
    }
}
