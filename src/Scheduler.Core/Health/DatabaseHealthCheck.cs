using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scheduler.Data.Migrations;

namespace Scheduler.Core.Health;

/// <summary>Ready when the database answers and every migration this binary ships is applied.</summary>
public sealed class DatabaseHealthCheck(MigrationRunner migrations) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var plan = await migrations.PlanAsync(cancellationToken);
            var data = new Dictionary<string, object>
            {
                ["schemaVersion"] = plan.AppliedVersions.Count == 0 ? 0 : plan.AppliedVersions.Max(),
            };
            return plan.IsCurrent
                ? HealthCheckResult.Healthy("Database reachable and schema current.", data)
                : HealthCheckResult.Unhealthy($"Schema behind: {plan.Pending[0].Name} not applied.", data: data);
        }
        catch (Exception e) when (e is DbException or SchemaException or TimeoutException)
        {
            // Report, not swallow: readiness turns red. The body is anonymous, so it names the kind of failure only;
            // the exception (host, port, server message) goes to the log through the health check service.
            return HealthCheckResult.Unhealthy($"Database check failed ({e.GetType().Name}).", e);
        }
    }
}
