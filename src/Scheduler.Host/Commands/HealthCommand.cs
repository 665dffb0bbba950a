using System.CommandLine;
using System.Text.Json;

namespace Scheduler.Host.Commands;

/// <summary>
/// <c>scheduler health [--url URL] [--live] [--timeout DURATION]</c>: asks a running node whether it is ready (or, with
/// <c>--live</c>, alive) and exits 0 when it is, 1 when it is not or does not answer. For container healthchecks: the runtime
/// image has no curl, and this needs neither configuration nor the database.
/// </summary>
internal static class HealthCommand
{
    /// <summary>Exit code of a node that answered but is not ready (or not live), or did not answer.</summary>
    public const int NotHealthyExitCode = 1;

    public static Command Create()
    {
        var url = new Option<string?>("--url")
        {
            Description = "The node's base URL (default: the first of ASPNETCORE_URLS/URLS with a wildcard host made 127.0.0.1, else http://127.0.0.1:8080).",
        };
        var live = new Option<bool>("--live") { Description = "Ask /health/live (the process answers) instead of /health/ready." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long to wait for the answer.", DefaultValueFactory = _ => TimeSpan.FromSeconds(5) };
        var command = new Command("health", "Exit 0 when the node at --url is ready (or live, with --live); for container healthchecks.")
        {
            url,
            live,
            timeout,
        };
        command.SetAction((parse, ct) => CheckAsync(parse.GetValue(url), parse.GetValue(live), parse.GetValue(timeout), ct));
        return command;
    }

    private static async Task<int> CheckAsync(string? url, bool live, TimeSpan timeout, CancellationToken ct)
    {
        if (!TryBaseUri(url ?? DefaultUrl(), out var baseUri))
        {
            Console.Error.WriteLine($"scheduler health: --url '{url ?? DefaultUrl()}' is not an absolute http or https URL.");
            return OperatorVerb.RefusedExitCode;
        }

        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromMinutes(5))
        {
            Console.Error.WriteLine($"scheduler health: --timeout '{timeout}' must be more than 0 and at most 00:05:00.");
            return OperatorVerb.RefusedExitCode;
        }

        var probe = new Uri(baseUri, live ? "health/live" : "health/ready");
        using var http = new HttpClient { Timeout = timeout };
        try
        {
            using var response = await http.GetAsync(probe, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                Console.WriteLine($"{probe}: {(int)response.StatusCode} {Summary(body) ?? "Healthy"}");
                return 0;
            }

            Console.Error.WriteLine($"scheduler health: {probe}: {(int)response.StatusCode} {Summary(body) ?? response.ReasonPhrase}");
            return NotHealthyExitCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"scheduler health: {probe}: no answer ({(e is TaskCanceledException ? $"timed out after {timeout}" : e.Message)}).");
            return NotHealthyExitCode;
        }
    }

    /// <summary>"Unhealthy (database: Unhealthy — …; clock: …)": the overall status and each check that is not healthy.</summary>
    private static string? Summary(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var status = root.TryGetProperty("status", out var s) ? s.GetString() : null;
            var failing = root.TryGetProperty("checks", out var checks) && checks.ValueKind == JsonValueKind.Object
                ? checks.EnumerateObject()
                    .Where(c => c.Value.TryGetProperty("status", out var cs) && cs.GetString() != "Healthy")
                    .Select(c => $"{c.Name}: {c.Value.GetProperty("status").GetString()}"
                        + (c.Value.TryGetProperty("description", out var d) && d.GetString() is { Length: > 0 } text ? $" - {text}" : ""))
                    .ToList()
                : [];
            return failing.Count == 0 ? status : $"{status} ({string.Join("; ", failing)})";
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Where the node listens, as <c>run</c> reads it: the first of ASPNETCORE_URLS (or URLS), wildcards made loopback.</summary>
    private static string DefaultUrl()
    {
        var configured = Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } a ? a
            : Environment.GetEnvironmentVariable("URLS") is { Length: > 0 } u ? u
            : "http://127.0.0.1:8080";
        var first = configured.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        foreach (var wildcard in new[] { "://+:", "://*:", "://0.0.0.0:", "://[::]:" })
        {
            first = first.Replace(wildcard, "://127.0.0.1:", StringComparison.Ordinal);
        }

        return first;
    }

    private static bool TryBaseUri(string value, out Uri uri)
    {
        var ok = Uri.TryCreate(value.EndsWith('/') ? value : value + "/", UriKind.Absolute, out uri!)
            && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
        return ok;
    }
}
