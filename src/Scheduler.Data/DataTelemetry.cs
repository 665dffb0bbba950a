using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Scheduler.Data;

/// <summary>
/// Npgsql's own telemetry, subscribed from here so that only Scheduler.Data references Npgsql: a span per command (under the
/// job's or the request's span) and Npgsql's connection-pool and command metrics.
/// </summary>
public static class DataTelemetry
{
    public static TracerProviderBuilder AddSchedulerDataTracing(this TracerProviderBuilder tracing) => tracing.AddNpgsql();

    public static MeterProviderBuilder AddSchedulerDataMetrics(this MeterProviderBuilder metrics) => metrics.AddNpgsqlInstrumentation();
}
