using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Scheduler.Data.Clock;

namespace Scheduler.Core.Clock;

/// <summary>The clock guard of a node: Quartz on PostgreSQL's clock, and standby while this host's clock is too far off.</summary>
public static class ClockHostingExtensions
{
    /// <summary>
    /// Replaces the node's <see cref="TimeProvider"/> (Quartz's, and every service's) with <see cref="DatabaseTimeProvider"/>
    /// and adds the <see cref="ClockGuardService"/>. Call after <c>AddSchedulerQuartz</c>, so the guard stops before the drain.
    /// </summary>
    public static IHostApplicationBuilder AddSchedulerClockGuard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClockGuardOptions>()
            .BindConfiguration(ClockGuardOptions.SectionName)
            .Validate(o => o.MaxOffset > TimeSpan.Zero && o.MaxOffset <= TimeSpan.FromMinutes(1),
                "Scheduler:ClockGuard:MaxOffset must be between 00:00:00.001 and 00:01:00.")
            .Validate(o => o.CheckInterval is null || (o.CheckInterval >= TimeSpan.FromMilliseconds(100) && o.CheckInterval <= TimeSpan.FromMinutes(5)),
                "Scheduler:ClockGuard:CheckInterval must be between 00:00:00.100 and 00:05:00.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<DatabaseClockProbe>();
        builder.Services.AddSingleton<ClockGuardService>();
        builder.Services.AddHealthChecks().AddCheck<ClockHealthCheck>("clock", tags: ["ready"]);
        var clock = new DatabaseTimeProvider(TimeProvider.System);
        builder.Services.AddSingleton(clock);
        if (!builder.Configuration.GetValue(ClockGuardOptions.SectionName + ":Enabled", true))
        {
            return builder;
        }

        builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ClockGuardService>());
        return builder;
    }
}
