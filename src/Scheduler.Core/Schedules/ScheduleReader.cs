using Microsoft.Extensions.Configuration;
using Scheduler.Core.Retries;

namespace Scheduler.Core.Schedules;

/// <summary>
/// Reads the <c>Scheduler:Jobs</c> section into definitions, keeping binding errors as problems rather than throwing. Policy
/// names (<c>Misfire</c>, <c>Overlap</c>, <c>Retry:Policy</c>, <c>After:When</c>) are parsed here, once, into their enums: a
/// value that names none is a problem listing the allowed names, and the entry is read without it.
/// </summary>
public static class ScheduleReader
{
    /// <summary>The configuration section holding one child per job entry.</summary>
    public const string SectionName = "Scheduler:Jobs";

    /// <summary>The keys of an entry that name an enum member, and why a value names none.</summary>
    private static readonly (string Key, Func<string, string?> Problem)[] PolicyKeys =
    [
        (nameof(JobDefinition.Misfire), EnumSetting.Problem<MisfireSetting>),
        (nameof(JobDefinition.Overlap), EnumSetting.Problem<OverlapSetting>),
        ($"{nameof(JobDefinition.Retry)}:{nameof(RetryDefinition.Policy)}", EnumSetting.Problem<RetryBackoff>),
        ($"{nameof(JobDefinition.After)}:{nameof(ContinuationDefinition.When)}", EnumSetting.Problem<ContinuationWhen>),
    ];

    /// <summary>Binds every entry; an entry that cannot be bound (a typo'd key, a malformed duration) yields a problem naming it.</summary>
    public static (IReadOnlyList<JobDefinition> Definitions, IReadOnlyList<string> Problems) Read(IConfiguration configuration)
    {
        var definitions = new List<JobDefinition>();
        var problems = new List<string>();
        foreach (var entry in configuration.GetSection(SectionName).GetChildren())
        {
            var definition = new JobDefinition();
            var bindable = Bindable(entry, problems);
            try
            {
                bindable.Bind(definition, o => o.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e)
            {
                // Report it, then read what can be read so the entry's other problems are reported in the same run.
                problems.Add($"{entry.Path}: {e.Message}");
                definition = new JobDefinition();
                try
                {
                    bindable.Bind(definition);
                }
                catch (InvalidOperationException)
                {
                    continue;
                }
            }

            definition.Name = entry.Key;
            definition.Cron = ReadStrings(entry.GetSection(nameof(JobDefinition.Cron)));
            definitions.Add(definition);
        }

        return (definitions, problems);
    }

    /// <summary>
    /// The entry without its Cron key(s), which are read by hand (the binder cannot take one string for a list), and without
    /// policy values that name no member, each reported to <paramref name="problems"/>.
    /// </summary>
    private static IConfiguration Bindable(IConfigurationSection entry, List<string> problems) => new ConfigurationBuilder()
        .AddInMemoryCollection(entry.AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null
                && !kv.Key.Equals(nameof(JobDefinition.Cron), StringComparison.OrdinalIgnoreCase)
                && !kv.Key.StartsWith(nameof(JobDefinition.Cron) + ":", StringComparison.OrdinalIgnoreCase)
                && IsNamedPolicyOrOther(entry, kv.Key, kv.Value!, problems)))
        .Build();

    private static bool IsNamedPolicyOrOther(IConfigurationSection entry, string key, string value, List<string> problems)
    {
        foreach (var (policyKey, problem) in PolicyKeys)
        {
            if (key.Equals(policyKey, StringComparison.OrdinalIgnoreCase) && problem(value) is { } message)
            {
                problems.Add($"{entry.Path}:{policyKey}: {message}");
                return false;
            }
        }

        return true;
    }

    /// <summary>One string (as an environment variable sets it) or an array; a scalar wins over array entries.</summary>
    private static List<string> ReadStrings(IConfigurationSection section) =>
        section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "").ToList();
}
