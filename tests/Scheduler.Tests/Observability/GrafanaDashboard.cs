using System.Text.Json;

namespace Scheduler.Tests.Observability;

/// <summary>config/grafana/scheduler-dashboard.json, read as Grafana imports it.</summary>
public static class GrafanaDashboard
{
    public static string Path => System.IO.Path.Combine(Infrastructure.TestEnvironment.RepositoryRoot, "config", "grafana", "scheduler-dashboard.json");

    /// <summary>Every panel's PromQL expression, as written (with Grafana's variables).</summary>
    public static IReadOnlyList<string> Queries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path));
        return document.RootElement.GetProperty("panels").EnumerateArray()
            .Where(p => p.TryGetProperty("targets", out _))
            .SelectMany(p => p.GetProperty("targets").EnumerateArray())
            .Select(t => t.GetProperty("expr").GetString()!)
            .ToList();
    }
}
