using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Scheduler.Web.Dashboard;

/// <summary>
/// The dashboard's stylesheet and its one script, served from the assembly under <c>/assets/</c> (anonymous: the sign-in
/// page is styled too). The Content-Security-Policy allows scripts and styles from this origin only, so no inline script
/// or style runs, even if markup were ever injected.
/// </summary>
internal static class DashboardAssets
{
    private static readonly Dictionary<string, (byte[] Content, string Type)> Files = new(StringComparer.Ordinal)
    {
        ["dashboard.css"] = (Read("dashboard.css"), "text/css; charset=utf-8"),
        ["dashboard.js"] = (Read("dashboard.js"), "text/javascript; charset=utf-8"),
    };

    public static IEndpointRouteBuilder MapDashboardAssets(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/assets/{file}", (string file) =>
            Files.TryGetValue(file, out var asset) ? Results.Bytes(asset.Content, asset.Type) : Results.NotFound()).AllowAnonymous();
        return endpoints;
    }

    private static byte[] Read(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream($"Scheduler.Web.Dashboard.Assets.{name}")
            ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded in Scheduler.Web.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
