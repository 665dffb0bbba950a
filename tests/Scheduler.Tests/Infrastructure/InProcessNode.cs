using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Scheduler.Core.Schedules;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// A node composed exactly as the binary composes it (<see cref="TestNodeHost"/>), hosted inside the test process, for tests
/// that look at scheduling and the store rather than at the HTTP surface (no API keys configured).
/// </summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication app;

    private InProcessNode(WebApplication app) => this.app = app;

    public IServiceProvider Services => app.Services;

    public Task<IScheduler> SchedulerAsync() => app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler().AsTask();

    /// <summary>Builds and starts a node on <paramref name="db"/> with <paramref name="settings"/> over the shipped appsettings.json.</summary>
    public static async Task<InProcessNode> StartAsync(
        TestDatabase db, string instanceId, IDictionary<string, string?> settings, Action<JobKindRegistry>? addKinds = null)
    {
        var node = new InProcessNode(await TestNodeHost.StartAsync(db, instanceId, [settings], addKinds));
        return await Poll.OnceRunningAsync(node, node.SchedulerAsync, instanceId);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
