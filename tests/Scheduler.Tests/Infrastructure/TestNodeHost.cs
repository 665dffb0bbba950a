using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Scheduler.Core.Schedules;
using Scheduler.Jobs;
using Scheduler.Web;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// Builds a node as <c>scheduler run</c> does (<see cref="NodeHostingExtensions.AddSchedulerNode"/> with the shipped kinds, the
/// shipped appsettings.json), differing only in configuration values and the named hooks below.
/// </summary>
internal static class TestNodeHost
{
    /// <summary>The hooks every test node uses: no console logging (dozens of nodes share the test process).</summary>
    public static readonly SchedulerNodeHooks Hooks = new() { Logging = logging => logging.ClearProviders() };

    /// <summary>
    /// Builds, maps and starts a node on <paramref name="db"/>, listening on a free loopback port; <paramref name="settings"/>
    /// are layered in order over appsettings.json and the test defaults. The application is disposed when start fails.
    /// </summary>
    public static async Task<WebApplication> StartAsync(
        TestDatabase db, string instanceId, IEnumerable<IDictionary<string, string?>> settings, Action<JobKindRegistry>? addKinds)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(Path.Combine(Path.GetDirectoryName(TestEnvironment.SchedulerDll)!, "appsettings.json"), optional: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Scheduler"] = db.ConnectionString,
            ["Quartz:Scheduler:InstanceId"] = instanceId,
        });
        foreach (var layer in settings)
        {
            builder.Configuration.AddInMemoryCollection(layer);
        }

        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var kinds = ShippedJobKinds.Create();
        addKinds?.Invoke(kinds);
        builder.AddSchedulerNode(kinds, Hooks);
        var app = builder.Build();
        app.MapSchedulerWeb();
        try
        {
            await app.StartAsync();
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }
}
