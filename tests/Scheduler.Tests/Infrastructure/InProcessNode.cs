using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using Scheduler.Core.Quartz;
using Scheduler.Core.Schedules;
using Scheduler.Data;
using Scheduler.Jobs;

namespace Scheduler.Tests.Infrastructure;

/// <summary>A node composed exactly as the binary composes it (data, Quartz, schedules), hosted inside the test process.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly IHost host;

    private InProcessNode(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public Task<IScheduler> SchedulerAsync() => host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler().AsTask();

    /// <summary>Builds and starts a node on <paramref name="db"/> with <paramref name="settings"/> over the shipped appsettings.json.</summary>
    public static async Task<InProcessNode> StartAsync(
        TestDatabase db, string instanceId, IDictionary<string, string?> settings, Action<JobKindRegistry>? addKinds = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddJsonFile(Path.Combine(Path.GetDirectoryName(TestEnvironment.SchedulerDll)!, "appsettings.json"), optional: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Scheduler"] = db.ConnectionString,
            ["Quartz:Scheduler:InstanceId"] = instanceId,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        var kinds = ShippedJobKinds.Create();
        addKinds?.Invoke(kinds);
        builder.AddSchedulerData().AddSchedulerQuartz(kinds);
        builder.Services.AddSchedulerJobServices();
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        var node = new InProcessNode(host);
        return await Poll.OnceRunningAsync(node, node.SchedulerAsync, instanceId);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
