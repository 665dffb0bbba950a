using System.Text.Json;
using Scheduler.Data.Locks;

namespace Scheduler.Host.Hosting;

/// <summary>
/// Answers the health probes on the node's own URLs while it waits to start (for the database, the migration lock, another
/// node's reconcile): <c>/health/live</c> 200, <c>/health/ready</c> 503 naming what it waits for. Disposed just before the
/// node itself binds the same URLs, so an orchestrator sees a live process rather than a refused connection.
/// </summary>
internal sealed class StartupProbe : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly WebApplication? probe;

    private StartupProbe(WebApplication? probe) => this.probe = probe;

    /// <summary>Cancelled when the process is asked to stop (SIGTERM, Ctrl-C) while it waits: the probe's host handles the signal.</summary>
    public CancellationToken Stopping => probe?.Lifetime.ApplicationStopping ?? CancellationToken.None;

    /// <summary>The node's own addresses: <c>urls</c> (<c>--urls</c>, <c>ASPNETCORE_URLS</c>), else <c>http_ports</c>, else null.</summary>
    public static string? Urls(IConfiguration configuration) =>
        configuration["urls"] is { Length: > 0 } urls ? urls
        : configuration["http_ports"] is { Length: > 0 } ports ? string.Join(';', ports.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => $"http://*:{p.Trim()}"))
        : null;

    /// <summary>Starts listening on <paramref name="urls"/> (see <see cref="Urls"/>; ASP.NET Core's default when null).</summary>
    public static async Task<StartupProbe> StartAsync(string? urls, StartupProgress progress, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(string.IsNullOrWhiteSpace(urls) ? "http://localhost:5000" : urls);
        var app = builder.Build();
        app.MapGet("/health/live", () => Results.Text(JsonSerializer.Serialize(new { status = "Healthy" }, Json), "application/json"));
        app.MapGet("/health/ready", () =>
        {
            var waitingFor = progress.WaitingFor ?? "the node to finish starting";
            var body = new
            {
                status = "Unhealthy",
                waitingFor,
                checks = new Dictionary<string, object> { ["startup"] = new { status = "Unhealthy", description = $"Waiting for {waitingFor}." } },
            };
            return Results.Text(JsonSerializer.Serialize(body, Json), "application/json", statusCode: StatusCodes.Status503ServiceUnavailable);
        });
        try
        {
            await app.StartAsync(cancellationToken);
            return new StartupProbe(app);
        }
        catch (IOException)
        {
            // The address is taken: start without answering meanwhile; the node itself reports the address when it binds.
            await app.DisposeAsync();
            return new StartupProbe(null);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (probe is not null)
        {
            await probe.StopAsync(CancellationToken.None);
            await probe.DisposeAsync();
        }
    }
}
