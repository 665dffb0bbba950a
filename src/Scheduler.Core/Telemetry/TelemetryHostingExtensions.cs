using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Scheduler.Core.Telemetry;

/// <summary>
/// Exports Quartz's and Npgsql's metrics and traces, and .NET runtime metrics, over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. The SDK reads the standard <c>OTEL_*</c> variables itself
/// (protocol, headers, service name); the provider is disposed, and so flushed, with the host.
/// </summary>
public static class TelemetryHostingExtensions
{
    /// <summary>Meters exported: Quartz's own, Npgsql's and the runtime's. Quartz's instrument names are listed in README.</summary>
    public static readonly string[] Meters = ["Quartz", SchedulerMetrics.MeterName, "Npgsql", "System.Runtime"];

    /// <summary>Activity sources exported: the <c>Quartz.Job.Execute</c> spans and Npgsql's command spans.</summary>
    public static readonly string[] Sources = ["Quartz", "Npgsql"];

    public static IHostApplicationBuilder AddSchedulerTelemetry(this IHostApplicationBuilder builder, string nodeId)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            return builder;
        }

        var serviceName = builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "scheduler";
        var version = typeof(TelemetryHostingExtensions).Assembly.GetName().Version?.ToString();
        builder.Services.AddSingleton(_ => OpenTelemetrySdk.Create(otel => otel
            .ConfigureResource(r => r.AddService(serviceName, serviceVersion: version, serviceInstanceId: nodeId))
            .WithTracing(t => t.AddSource(Sources).AddOtlpExporter())
            .WithMetrics(m => m.AddMeter(Meters).AddOtlpExporter())));
        // Resolved at start so the providers listen from the first fire, not from the first request for them.
        builder.Services.AddHostedService(sp => new TelemetryActivator(sp.GetRequiredService<OpenTelemetrySdk>()));
        return builder;
    }

    private sealed class TelemetryActivator(OpenTelemetrySdk sdk) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            sdk.MeterProvider.ForceFlush(5000);
            sdk.TracerProvider.ForceFlush(5000);
            return Task.CompletedTask;
        }
    }
}
