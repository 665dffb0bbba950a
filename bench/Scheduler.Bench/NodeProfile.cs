namespace Scheduler.Bench;

/// <summary>
/// A named set of environment overrides for the nodes. <c>default</c> is the service as shipped; the others change
/// only what their <see cref="Settings"/> list, and every figure printed names the profile it was measured with.
/// </summary>
public sealed record NodeProfile(string Name, string Description, IReadOnlyDictionary<string, string> Settings)
{
    /// <summary>The shipped defaults: no overrides.</summary>
    public static readonly NodeProfile Default = new("default", "shipped defaults", new Dictionary<string, string>());

    /// <summary>The settings docs/BENCHMARKS.md recommends for a busy cluster.</summary>
    public static readonly NodeProfile Tuned = new("tuned", "recommended tuning", new Dictionary<string, string>
    {
        ["Quartz__ThreadPool__MaxConcurrency"] = "20",
        ["Scheduler__History__WriteBehindInterval"] = "00:00:01",
    });

    /// <summary>History and fencing off: what the two cost, for burst only. Not a recommendation.</summary>
    public static readonly NodeProfile Bare = new("bare", "history and fencing off (cost measurement only)", new Dictionary<string, string>
    {
        ["Scheduler__History__MaxEntriesPerScheduler"] = "0",
        ["Scheduler__Fencing__Enabled"] = "false",
    });

    private static readonly NodeProfile[] All = [Default, Tuned, Bare];

    /// <summary>
    /// What the nodes run with beyond the shipped defaults, as one line for tables and JSON: the node settings the driver's
    /// own environment passes on to every node (<c>Quartz__*</c>, <c>Scheduler__*</c>, the runtime's <c>DOTNET_GC*</c>,
    /// <c>DOTNET_ThreadPool_*</c>, <c>DOTNET_Tiered*</c>), then this
    /// profile's overrides, which win.
    /// </summary>
    public string SettingsText
    {
        get
        {
            var all = new SortedDictionary<string, string>(InheritedSettings(), StringComparer.Ordinal);
            foreach (var (key, value) in Settings)
            {
                all[key] = value;
            }

            return all.Count == 0 ? "(none)" : string.Join(" ", all.Select(s => $"{s.Key}={s.Value}"));
        }
    }

    /// <summary>The runtime's knobs a node inherits and a figure depends on: GC, thread pool, tiered compilation.</summary>
    private static readonly string[] RuntimePrefixes = ["DOTNET_GC", "DOTNET_ThreadPool_", "DOTNET_Tiered"];

    private static Dictionary<string, string> InheritedSettings()
    {
        var inherited = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (key.StartsWith("Quartz__", StringComparison.Ordinal) || key.StartsWith("Scheduler__", StringComparison.Ordinal)
                || RuntimePrefixes.Any(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                inherited[key] = (string?)entry.Value ?? "";
            }
        }

        return inherited;
    }

    /// <summary>The profile called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No profile has that name.</exception>
    public static NodeProfile Find(string name) =>
        All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown profile '{name}' ({string.Join('|', All.Select(p => p.Name))})");
}
