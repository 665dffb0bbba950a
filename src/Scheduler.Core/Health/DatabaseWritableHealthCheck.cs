using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scheduler.Data.Health;

namespace Scheduler.Core.Health;

/// <summary>
/// Not ready while PostgreSQL refuses writes (read-only, a standby) or new connections (max_connections reached),
/// naming which: the node cannot acquire or record fires then. Unreachability is the <c>database</c> check's to report.
/// </summary>
public sealed class DatabaseWritableHealthCheck(DatabaseWriteProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await probe.WhyNotWritableAsync(cancellationToken) is { } reason
                ? HealthCheckResult.Unhealthy(reason + ".")
                : HealthCheckResult.Healthy("Database accepts writes and connections.");
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"Database check failed ({e.GetType().Name}).", e);
        }
    }
}
