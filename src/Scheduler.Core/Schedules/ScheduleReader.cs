using System.Collections;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Scheduler.Core.Schedules;

/// <summary>Reads the <c>Scheduler:Jobs</c> section into definitions, keeping binding errors as problems rather than throwing.</summary>
/// <remarks>
/// Each key of an entry is bound on its own, so one unknown key or one value that does not convert is reported as
/// <c>Scheduler:Jobs:&lt;name&gt;:&lt;Key&gt;: …</c> and the entry's other keys are still read and validated in the same run. Policy
/// names (<c>Misfire</c>, <c>Overlap</c>, <c>Retry:Policy</c>, <c>After:When</c>) are parsed here, once, into their enums, by name
/// only (<see cref="EnumSetting"/>): a value that names none is a problem listing the allowed names, and the entry keeps its default.
/// </remarks>
public static class ScheduleReader
{
    /// <summary>The configuration section holding one child per job entry.</summary>
    public const string SectionName = "Scheduler:Jobs";

    /// <summary>Binds every entry; a key that is unknown or does not convert yields a problem naming the key and the value.</summary>
    public static (IReadOnlyList<JobDefinition> Definitions, IReadOnlyList<string> Problems) Read(IConfiguration configuration)
    {
        var definitions = new List<JobDefinition>();
        var problems = new List<string>();
        foreach (var entry in configuration.GetSection(SectionName).GetChildren())
        {
            var definition = new JobDefinition();
            foreach (var key in entry.GetChildren())
            {
                if (key.Key.Equals(nameof(JobDefinition.Cron), StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                BindKey(definition, key, entry.Path, problems);
            }

            definition.Name = entry.Key;
            definition.Cron = ReadStrings(entry.GetSection(nameof(JobDefinition.Cron)));
            definitions.Add(definition);
        }

        return (definitions, problems);
    }

    /// <summary>Binds one key (and what lies under it) into <paramref name="target"/>, or says why it cannot.</summary>
    private static void BindKey(object target, IConfigurationSection key, string parentPath, List<string> problems)
    {
        var property = FindProperty(target.GetType(), key.Key);
        if (property is null)
        {
            problems.Add($"{key.Path}: unknown key{Suggestion(target.GetType(), key.Key)}; the keys of {Describe(target.GetType())} are {string.Join(", ", KeyNames(target.GetType()))}");
            return;
        }

        var path = $"{parentPath}:{property.Name}";

        if (IsNested(property.PropertyType))
        {
            // A section of its own (Retry, After): check its keys one by one too.
            var nested = property.GetValue(target) ?? Activator.CreateInstance(property.PropertyType)!;
            if (key.Value is not null && !key.GetChildren().Any())
            {
                problems.Add($"{path}: '{key.Value}' is not a section: set its keys ({string.Join(", ", KeyNames(property.PropertyType))})");
                return;
            }

            foreach (var child in key.GetChildren())
            {
                BindKey(nested, child, path, problems);
            }

            property.SetValue(target, nested);
            return;
        }

        if ((Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType) is { IsEnum: true } enumType)
        {
            // By name only: the binder would also take a number ("1") for the second member.
            if (EnumProblem(enumType, key.Value) is { } problem)
            {
                problems.Add($"{path}: {problem}");
            }
            else
            {
                property.SetValue(target, Enum.Parse(enumType, key.Value!.Trim(), ignoreCase: true));
            }

            return;
        }

        var single = new ConfigurationBuilder()
            .AddInMemoryCollection(key.AsEnumerable(makePathsRelative: false)
                .Where(kv => kv.Value is not null)
                .Select(kv => new KeyValuePair<string, string?>(property.Name + kv.Key[key.Path.Length..], kv.Value)))
            .Build();
        try
        {
            single.Bind(target);
        }
        catch (InvalidOperationException)
        {
            problems.Add($"{path}: '{key.Value}' is not {Expected(property.PropertyType)}");
        }
    }

    private static string? EnumProblem(Type enumType, string? value) =>
        (string?)typeof(EnumSetting).GetMethod(nameof(EnumSetting.Problem))!.MakeGenericMethod(enumType).Invoke(null, [value]);

    private static PropertyInfo? FindProperty(Type type, string name) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => p.CanWrite && p.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && p.Name != nameof(JobDefinition.Name));

    private static IEnumerable<string> KeyNames(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && !(type == typeof(JobDefinition) && p.Name == nameof(JobDefinition.Name)))
            .Select(p => p.Name);

    private static bool IsNested(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type);

    private static string Describe(Type type) =>
        type == typeof(JobDefinition) ? "an entry" : $"{type.Name.Replace("Definition", "", StringComparison.Ordinal)}";

    /// <summary>" (did you mean Cron?)" for a key one or two edits away from a known one.</summary>
    private static string Suggestion(Type type, string key)
    {
        var best = KeyNames(type)
            .Select(name => (name, distance: Distance(name.ToUpperInvariant(), key.ToUpperInvariant())))
            .OrderBy(c => c.distance)
            .FirstOrDefault();
        return best.name is not null && best.distance <= 2 ? $" (did you mean {best.name}?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static string Expected(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        return t == typeof(TimeSpan) ? "a duration ([d.]hh:mm:ss, e.g. 00:05:00)"
            : t == typeof(bool) ? "true or false"
            : t == typeof(int) ? "a whole number"
            : t == typeof(double) ? string.Create(CultureInfo.InvariantCulture, $"a number (e.g. {1.5})")
            : $"a valid {t.Name}";
    }

    /// <summary>One string (as an environment variable sets it) or an array; a scalar wins over array entries.</summary>
    private static List<string> ReadStrings(IConfigurationSection section) =>
        section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "").ToList();
}
