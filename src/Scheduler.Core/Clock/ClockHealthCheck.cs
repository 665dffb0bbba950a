using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Scheduler.Core.Clock;

/// <summary>Not ready while the clock guard holds the node in standby, naming the offset; ready otherwise.</summary>
public sealed class ClockHealthCheck(ClockGuardService guard) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = guard.Status;
        var data = new Dictionary<string, object> { ["maxOffsetMs"] = status.MaxOffset.TotalMilliseconds };
        if (status.Offset is { } offset)
        {
            data["offsetMs"] = Math.Round(offset.TotalMilliseconds, 1);
        }

        return Task.FromResult(status.Paused
            ? HealthCheckResult.Unhealthy(
                $"Clock offset from PostgreSQL {status.OffsetText} exceeds {status.MaxOffset.TotalMilliseconds:0} ms: not acquiring triggers.", data: data)
            : HealthCheckResult.Healthy($"Clock offset from PostgreSQL {status.OffsetText}.", data));
    }
}
