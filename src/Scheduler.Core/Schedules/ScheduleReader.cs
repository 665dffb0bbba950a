using Microsoft.Extensions.Configuration;

namespace Scheduler.Core.Schedules;

/// <summary>Reads the <c>Scheduler:Jobs</c> section into definitions, keeping binding errors as problems rather than throwing.</summary>
public static class ScheduleReader
{
    /// <summary>The configuration section holding one child per job entry.</summary>
    public const string SectionName = "Scheduler:Jobs";

    /// <summary>Binds every entry; an entry that cannot be bound (a typo'd key, a malformed duration) yields a problem naming it.</summary>
    public static (IReadOnlyList<JobDefinition> Definitions, IReadOnlyList<string> Problems) Read(IConfiguration configuration)
    {
        var definitions = new List<JobDefinition>();
        var problems = new List<string>();
        foreach (var entry in configuration.GetSection(SectionName).GetChildren())
        {
            var definition = new JobDefinition();
            var bindable = WithoutCron(entry);
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

    /// <summary>The entry without its Cron key(s), which are read by hand: the binder cannot take one string for a list.</summary>
    private static IConfiguration WithoutCron(IConfigurationSection entry) => new ConfigurationBuilder()
        .AddInMemoryCollection(entry.AsEnumerable(makePathsRelative: true)
            .Where(kv => kv.Value is not null
                && !kv.Key.Equals(nameof(JobDefinition.Cron), StringComparison.OrdinalIgnoreCase)
                && !kv.Key.StartsWith(nameof(JobDefinition.Cron) + ":", StringComparison.OrdinalIgnoreCase)))
        .Build();

    /// <summary>One string (as an environment variable sets it) or an array; a scalar wins over array entries.</summary>
    private static List<string> ReadStrings(IConfigurationSection section) =>
        section.Value is { } single ? [single] : section.GetChildren().Select(c => c.Value ?? "").ToList();
}
