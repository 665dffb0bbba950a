using Microsoft.Extensions.DependencyInjection;
using Scheduler.Jobs.Http;

namespace Scheduler.Jobs;

/// <summary>Services the shipped jobs need.</summary>
public static class JobsServiceCollectionExtensions
{
    public static IServiceCollection AddSchedulerJobServices(this IServiceCollection services)
    {
        services.AddHttpClient(HttpJob.ClientName);
        return services;
    }
}
