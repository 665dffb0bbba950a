using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Scheduler.Data.Retention;

namespace Scheduler.Core.Retention;

/// <summary>Registers <see cref="RetentionService"/> with <see cref="RetentionOptions"/> validated at start.</summary>
public static class RetentionHostingExtensions
{
    private const string S = RetentionOptions.SectionName;

    public static IHostApplicationBuilder AddSchedulerRetention(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration(S)
            .Validate(o => o.Ledger >= TimeSpan.FromDays(1), $"{S}:Ledger must be at least 1.00:00:00 (a duplicate may arrive after a node's recovery).")
            .Validate(o => o.SuppressedDuplicates >= TimeSpan.FromDays(1), $"{S}:SuppressedDuplicates must be at least 1.00:00:00.")
            .Validate(o => o.Audit >= TimeSpan.FromDays(7), $"{S}:Audit must be at least 7.00:00:00 (scheduler_prune_audit keeps 7 days).")
            .Validate(o => o.Heartbeat >= TimeSpan.FromHours(1), $"{S}:Heartbeat must be at least 01:00:00.")
            .Validate(o => o.NodeInfo >= TimeSpan.FromDays(1), $"{S}:NodeInfo must be at least 1.00:00:00.")
            .Validate(o => o.Sessions >= TimeSpan.FromDays(1), $"{S}:Sessions must be at least 1.00:00:00.")
            .Validate(o => o.Interval >= TimeSpan.FromMinutes(1) && o.Interval <= TimeSpan.FromDays(1), $"{S}:Interval must be between 00:01:00 and 1.00:00:00.")
            .Validate(o => o.BatchSize is >= 100 and <= 100_000, $"{S}:BatchSize must be between 100 and 100000.")
            .Validate(o => o.MaxBatchesPerPass is >= 1 and <= 10_000, $"{S}:MaxBatchesPerPass must be between 1 and 10000.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<RetentionStore>();
        builder.Services.AddHostedService<RetentionService>();
        return builder;
    }
}
