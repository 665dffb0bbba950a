using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using OpenTelemetry.Metrics;
using Scheduler.Web.Auth;

namespace Scheduler.Web.Metrics;

/// <summary>
/// <c>GET /metrics</c>: this node's metrics in Prometheus text format (OpenTelemetry's Prometheus exporter), for the viewer
/// role: Prometheus scrapes with <c>Authorization: Bearer &lt;viewer key&gt;</c> (config/prometheus/prometheus.yml).
/// Job keys and node ids are labels, which a viewer may read anyway.
/// </summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    /// <summary>Maps the scrape endpoint when the node exports metrics (AddSchedulerTelemetry registered the exporter).</summary>
    public static IEndpointRouteBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService(typeof(MeterProvider)) is null)
        {
            return endpoints;
        }

        endpoints.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(SchedulerRoles.Viewer);
        return endpoints;
    }
}
