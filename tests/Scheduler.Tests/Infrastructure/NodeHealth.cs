using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Scheduler.Tests.Infrastructure;

/// <summary>Reads a node process's <c>/health/ready</c>: the HTTP status and each check's status.</summary>
public static partial class NodeHealth
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The readiness answer, or null while the node is not listening yet.</summary>
    public static async Task<Readiness?> ReadyAsync(SchedulerProcess node)
    {
        // ASP.NET Core's own start-up line says where a node started with --urls http://127.0.0.1:0 listens.
        var match = ListeningOn().Match(node.StandardOutput);
        if (!match.Success)
        {
            return null;
        }

        try
        {
            using var response = await Http.GetAsync(new Uri(new Uri(match.Groups[1].Value), "/health/ready"));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var checks = body.RootElement.GetProperty("checks").EnumerateObject()
                .ToDictionary(c => c.Name, c => c.Value.GetProperty("status").GetString() ?? "", StringComparer.Ordinal);
            return new Readiness(response.StatusCode, checks);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            // Not listening yet, or too busy to answer within the client's timeout: ask again.
            return null;
        }
    }

    /// <summary>Polls until the node's readiness satisfies <paramref name="condition"/>.</summary>
    public static async Task<Readiness> UntilAsync(SchedulerProcess node, Func<Readiness, bool> condition, TimeSpan timeout, string what)
    {
        Readiness? last = null;
        await Poll.UntilAsync(async () => (last = await ReadyAsync(node)) is { } r && condition(r), timeout, $"{node.Name}: {what}");
        return last!;
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();

    /// <summary>What <c>/health/ready</c> answered.</summary>
    public sealed record Readiness(HttpStatusCode Status, IReadOnlyDictionary<string, string> Checks)
    {
        public bool IsReady => Status == HttpStatusCode.OK;

        public string Check(string name) => Checks.TryGetValue(name, out var status) ? status : "absent";
    }
}
