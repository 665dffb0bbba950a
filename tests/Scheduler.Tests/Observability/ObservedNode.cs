using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Observability;

/// <summary>
/// A real <c>scheduler run</c> process on a free loopback port with the test viewer and operator keys, the heartbeat job
/// firing every second, and a client for its <c>/metrics</c> and API.
/// </summary>
public sealed partial class ObservedNode : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private ObservedNode(SchedulerProcess process) => Process = process;

    public SchedulerProcess Process { get; }

    /// <summary>Where the node listens, once it said so (ASP.NET Core's start-up line).</summary>
    public Uri? Address => ListeningOn().Match(Process.StandardOutput) is { Success: true } m ? new Uri(m.Groups[1].Value) : null;

    public static async Task<ObservedNode> StartAsync(
        TestDatabase db, string instanceId, IDictionary<string, string?>? connectionOverride = null, params (string Key, string Value)[] extra)
    {
        var environment = NodeEnvironment.For(db, instanceId, extra);
        foreach (var (key, value) in WebNode.KeySettings("Scheduler__Auth__ApiKeys__", "__"))
        {
            environment[key] = value;
        }

        foreach (var (key, value) in connectionOverride ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var node = new ObservedNode(SchedulerProcess.Start(instanceId, ["run", "--urls", "http://127.0.0.1:0"], environment));
        try
        {
            await Poll.UntilAsync(() => Task.FromResult(node.Address is not null || node.Process.HasExited), TimeSpan.FromSeconds(60),
                $"{instanceId} to listen");
            return node.Address is not null ? node : throw new InvalidOperationException($"{instanceId} exited:\n{node.Process.Describe()}");
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }

    /// <summary>GET <paramref name="path"/> with <paramref name="key"/> as a Bearer key (none when null).</summary>
    public async Task<HttpResponseMessage> GetAsync(string path, string? key = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Address!, path));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>POST an empty JSON object to <paramref name="path"/> with the operator key.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Address!, path))
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", WebNode.OperatorKey);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Scrapes <c>/metrics</c> with the viewer key, as Prometheus does.</summary>
    public async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await GetAsync("/metrics", WebNode.ViewerKey);
        response.EnsureSuccessStatusCode();
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }

    public async ValueTask DisposeAsync() => await Process.DisposeAsync();

    /// <summary>The text line, or the JSON event's rendered message (where the address is quoted and the quotes escaped).</summary>
    [GeneratedRegex(@"Now listening on: (?:\\?"")?(http://[^\s""\\]+)")]
    private static partial Regex ListeningOn();
}
