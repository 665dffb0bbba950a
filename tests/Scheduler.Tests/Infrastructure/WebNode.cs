using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Scheduler.Core.Schedules;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// A node composed as <c>scheduler run</c> composes it (<see cref="TestNodeHost"/>), listening on a free loopback port inside
/// the test process, with one viewer and one operator key configured.
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
        var app = await TestNodeHost.StartAsync(db, instanceId, [KeySettings(), settings ?? new Dictionary<string, string?>()], addKinds);
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
