using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Scheduler.Core.Health;
using Scheduler.Core.Quartz;
using Scheduler.Core.Schedules;
using Scheduler.Data;
using Scheduler.Jobs;
using Scheduler.Web;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// A node composed as <c>scheduler run</c> composes it (data, Quartz, health, API, dashboard), listening on a free
/// loopback port inside the test process, with one viewer and one operator key configured.
/// </summary>
public sealed class WebNode : IAsyncDisposable
{
    private readonly WebApplication app;

    private WebNode(WebApplication app, Uri address)
    {
        this.app = app;
        Address = address;
    }

    public const string ViewerKey = "test-viewer-key-0123456789";

    public const string OperatorKey = "test-operator-key-0123456789";

    public Uri Address { get; }

    public IServiceProvider Services => app.Services;

    public Task<IScheduler> SchedulerAsync() => app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler().AsTask();

    public static string Sha256(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The environment lines that configure the test keys, for an out-of-process node or CLI.</summary>
    public static Dictionary<string, string?> KeySettings(string prefix = "Scheduler:Auth:ApiKeys:", string separator = ":") => new()
    {
        [$"{prefix}test-viewer{separator}Sha256"] = Sha256(ViewerKey),
        [$"{prefix}test-viewer{separator}Role"] = "viewer",
        [$"{prefix}test-operator{separator}Sha256"] = Sha256(OperatorKey),
        [$"{prefix}test-operator{separator}Role"] = "operator",
    };

    public static async Task<WebNode> StartAsync(
        TestDatabase db, string instanceId, IDictionary<string, string?>? settings = null, Action<JobKindRegistry>? addKinds = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddJsonFile(Path.Combine(Path.GetDirectoryName(TestEnvironment.SchedulerDll)!, "appsettings.json"), optional: false);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Scheduler"] = db.ConnectionString,
            ["Quartz:Scheduler:InstanceId"] = instanceId,
        });
        builder.Configuration.AddInMemoryCollection(KeySettings());
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var kinds = ShippedJobKinds.Create();
        addKinds?.Invoke(kinds);
        builder.AddSchedulerData().AddSchedulerQuartz(kinds).AddSchedulerHealthChecks().AddSchedulerWeb();
        builder.Services.AddSchedulerJobServices();
        var app = builder.Build();
        app.MapSchedulerWeb();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var node = new WebNode(app, new Uri(address));
        return await Poll.OnceRunningAsync(node, node.SchedulerAsync, instanceId);
    }

    /// <summary>A client for this node; <paramref name="key"/> is sent as <c>Authorization: Bearer</c> when given.</summary>
    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Address };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
