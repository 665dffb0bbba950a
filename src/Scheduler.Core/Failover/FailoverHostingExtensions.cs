using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Scheduler.Core.Failover;

/// <summary>Prompt failover of killed nodes (<see cref="FailoverOptions"/>, section <c>Scheduler:Failover</c>).</summary>
public static class FailoverHostingExtensions
{
    /// <summary>
    /// Validates <c>Scheduler:Failover</c> at start and, unless <c>Enabled</c> is false, adds the node lock and the peer watch.
    /// Call before <c>AddSchedulerQuartz</c>: hosted services stop in reverse order, so the lock outlives Quartz's drain.
    /// </summary>
    public static IHostApplicationBuilder AddSchedulerFailover(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<FailoverOptions>()
            .BindConfiguration(FailoverOptions.SectionName)
            .Validate(o => o.ConfirmWithin >= TimeSpan.FromMilliseconds(100) && o.ConfirmWithin <= TimeSpan.FromSeconds(10),
                "Scheduler:Failover:ConfirmWithin must be between 00:00:00.100 and 00:00:10.")
            .Validate(o => o.PeerRefreshInterval >= TimeSpan.FromSeconds(1) && o.PeerRefreshInterval <= TimeSpan.FromMinutes(10),
                "Scheduler:Failover:PeerRefreshInterval must be between 00:00:01 and 00:10:00.")
            .ValidateOnStart();
        if (!builder.Configuration.GetValue(FailoverOptions.SectionName + ":Enabled", true))
        {
            return builder;
        }

        builder.Services.AddHostedService<NodeLockService>();
        builder.Services.AddHostedService<PeerWatchService>();
        return builder;
    }
}
