using Microsoft.AspNetCore.Builder;
using Scheduler.Core.Clock;
using Scheduler.Core.Failover;
using Scheduler.Core.Health;
using Scheduler.Core.Hosting;
using Scheduler.Core.Logging;
using Scheduler.Core.Quartz;
using Scheduler.Core.Schedules;
using Scheduler.Core.Telemetry;
using Scheduler.Data;

namespace Scheduler.Web;

/// <summary>What a cluster node is made of, composed once: <c>scheduler run</c> and the tests' in-process nodes both call it.</summary>
public static class NodeHostingExtensions
{
    /// <summary>
    /// Settles the node's id (<c>Quartz:Scheduler:InstanceId</c>), then adds logging, telemetry, the data source, prompt failover (node locks), Quartz with
    /// <paramref name="kinds"/> (and the services their jobs need), the clock guard, health checks and the HTTP surface, in
    /// that order. Map the endpoints with <see cref="WebHostingExtensions.MapSchedulerWeb"/> once built.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string or the log format is missing or invalid; the message names the key.</exception>
    public static WebApplicationBuilder AddSchedulerNode(this WebApplicationBuilder builder, JobKindRegistry kinds, SchedulerNodeHooks? hooks = null)
    {
        var nodeId = NodeIdentity.Resolve(builder.Configuration);
        builder.AddSchedulerLogging(nodeId);
        hooks?.Logging?.Invoke(builder.Logging);
        builder.AddSchedulerTelemetry(nodeId)
            .AddSchedulerData()
            .AddSchedulerFailover()
            .AddSchedulerQuartz(kinds)
            .AddSchedulerClockGuard()
            .AddSchedulerHealthChecks()
            .AddSchedulerWeb();
        return builder;
    }
}
