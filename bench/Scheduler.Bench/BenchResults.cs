using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Scheduler.Bench;

/// <summary>What the workloads measured: one JSON section per workload, and the rows of the printed table.</summary>
public sealed class BenchResults
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly List<(string Workload, string Figure, string Value, string Settings)> rows = [];

    public JsonObject Root { get; } = new();

    /// <summary>The section of <paramref name="workload"/>, created empty.</summary>
    public JsonObject Section(string workload)
    {
        if (Root[workload] is not JsonObject section)
        {
            section = new JsonObject();
            Root[workload] = section;
        }

        return section;
    }

    /// <summary>Adds a row to the printed table.</summary>
    public void Row(string workload, string figure, double? value, string format, string settings) =>
        rows.Add((workload, figure, value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a", settings));

    /// <summary>The results table, one figure a line with the settings it was measured with.</summary>
    public string Table()
    {
        var w = rows.Count == 0 ? 0 : rows.Max(r => r.Workload.Length);
        var f = rows.Count == 0 ? 0 : rows.Max(r => r.Figure.Length);
        var v = rows.Count == 0 ? 0 : rows.Max(r => r.Value.Length);
        var lines = rows.Select(r => $"{r.Workload.PadRight(w)}  {r.Figure.PadRight(f)}  {r.Value.PadLeft(v)}  {r.Settings}");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>
    /// Writes the sections measured now into <paramref name="path"/>, keeping the sections of other workloads already there,
    /// so running workloads one at a time still leaves one file with every figure (each section says when and how it was measured).
    /// </summary>
    public async Task WriteAsync(string path)
    {
        JsonObject merged;
        try
        {
            merged = File.Exists(path) ? JsonNode.Parse(await File.ReadAllTextAsync(path)) as JsonObject ?? new JsonObject() : new JsonObject();
        }
        catch (JsonException)
        {
            merged = new JsonObject();
        }

        foreach (var (key, value) in Root)
        {
            merged[key] = value?.DeepClone();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, merged.ToJsonString(Indented) + Environment.NewLine);
        File.Move(temporary, path, overwrite: true);
    }
}
