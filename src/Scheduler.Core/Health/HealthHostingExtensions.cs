using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Scheduler.Core.Health;

/// <summary>The node's own readiness checks; Scheduler.Web serves them at <c>/health/ready</c>.</summary>
public static class HealthHostingExtensions
{
    /// <summary>Adds the <c>database</c> (reachable, schema current) and <c>database-writable</c> checks, tagged <c>ready</c>.</summary>
    public static IHostApplicationBuilder AddSchedulerHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
        builder.Services.AddHealthChecks().AddCheck<DatabaseWritableHealthCheck>("database-writable", tags: ["ready"]);
        return builder;
    }
}
