using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Scheduler.Core.Operations;

/// <summary>Registers the operator surface's queries and audited actions, shared by the HTTP API, the dashboard and the CLI.</summary>
public static class OperationsHostingExtensions
{
    public static IServiceCollection AddSchedulerOperations(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OperatorQueries>();
        services.AddSingleton<OperatorActions>();
        services.AddSingleton<TriggerData>();
        return services;
    }

    /// <summary>What a running node adds: its version recorded at start.</summary>
    public static IServiceCollection AddSchedulerNodeInfo(this IServiceCollection services) =>
        services.AddHostedService<NodeInfoService>();
}
