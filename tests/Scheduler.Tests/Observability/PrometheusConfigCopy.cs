namespace Scheduler.Tests.Observability;

/// <summary>
/// config/prometheus/ copied into a temporary directory laid out as the shipped one expects (prometheus/ beside secrets/),
/// with the test's own targets and viewer key; deleted on dispose.
/// </summary>
public sealed class PrometheusConfigCopy : IDisposable
{
    public PrometheusConfigCopy()
    {
        Root = Directory.CreateTempSubdirectory("scheduler-prometheus-").FullName;
        Copy(PrometheusTools.ConfigDirectory, Path.Combine(Root, "prometheus"));
        Directory.CreateDirectory(Path.Combine(Root, "secrets"));
        File.WriteAllText(Path.Combine(Root, "secrets", "prometheus_viewer_key"), Infrastructure.WebNode.ViewerKey);
    }

    public string Root { get; }

    public string ConfigFile => Path.Combine(Root, "prometheus", "prometheus.yml");

    /// <summary>Replaces the shipped nodes.yml with <paramref name="targets"/>, named node-1, node-2… in order.</summary>
    public void WriteTargets(IReadOnlyList<string> targets) =>
        File.WriteAllLines(Path.Combine(Root, "prometheus", "nodes.yml"),
            targets.Select((t, i) => $"- targets: [\"{t}\"]\n  labels: {{ node: node-{i + 1} }}"));

    /// <summary>Edits the copy's prometheus.yml (e.g. a shorter scrape interval, so a test does not wait 15 s a scrape).</summary>
    public void Edit(Func<string, string> change) => File.WriteAllText(ConfigFile, change(File.ReadAllText(ConfigFile)));

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.GetDirectories(from))
        {
            Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
        }
    }
}
