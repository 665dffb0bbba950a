using Microsoft.Extensions.Configuration;
using Quartz;
using Quartz.Listeners;

namespace Scheduler.Core.Schedules;

/// <summary>The parts of configured schedules that live in Quartz's own configuration: continuations, execution limits, timeouts.</summary>
public static class ScheduleQuartzExtensions
{
    /// <summary>
    /// Chains each entry with <c>After</c> to its parent through Quartz's <see cref="JobChainingJobListener"/> (a recurring,
    /// conditional chain), applies <c>Scheduler:ExecutionLimits</c>, and enables Quartz's job timeout middleware so job
    /// classes' <c>[JobTimeout]</c> budgets are enforced.
    /// </summary>
    public static IQuartzBuilder AddConfiguredSchedulePolicies(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        var (definitions, _) = ScheduleReader.Read(configuration);
        var enabled = definitions.Where(d => d.Enabled).ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        var chains = new JobChainingJobListener("configured-continuations");
        var links = 0;
        foreach (var child in enabled.Values.Where(d => d.After is not null))
        {
            // Invalid links are reported by validation at start, which stops the node; here they are only passed over.
            if (enabled.TryGetValue(child.After!.Job, out var parent))
            {
                chains.AddJobChainLink(new JobKey(parent.Name, parent.Group), new JobKey(child.Name, child.Group), ToCondition(child.After.When));
                links++;
            }
        }

        if (links > 0)
        {
            quartz.AddJobListener(chains);
        }

        var limits = configuration.GetSection(ExecutionLimitOptions.SectionName).GetChildren().ToList();
        if (limits.Count > 0)
        {
            quartz.UseExecutionLimits(builder =>
            {
                foreach (var section in limits)
                {
                    var limit = ReadLimit(section);
                    if (limit.Limit < 0)
                    {
                        throw new InvalidOperationException($"{section.Path}:Limit '{limit.Limit}' must be 0 or more.");
                    }

                    builder.ForGroup(section.Key, limit.Limit, limit.Scope);
                }
            });
        }

        quartz.AddJobTimeout();
        return quartz;
    }

    private static ContinuationCondition ToCondition(ContinuationWhen when) => when switch
    {
        ContinuationWhen.Failure => ContinuationCondition.OnFailure,
        ContinuationWhen.Any => ContinuationCondition.OnAnyOutcome,
        _ => ContinuationCondition.OnSuccess,
    };

    /// <summary>Reads one limit; the scope is parsed by name, so a typo stops the node naming the key and the allowed scopes.</summary>
    private static ExecutionLimitOptions ReadLimit(IConfigurationSection section) => new()
    {
        Limit = section.GetValue(nameof(ExecutionLimitOptions.Limit), 1),
        Scope = section[nameof(ExecutionLimitOptions.Scope)] is { } scope
            ? EnumSetting.Parse<ExecutionLimitScope>($"{section.Path}:{nameof(ExecutionLimitOptions.Scope)}", scope)
            : ExecutionLimitScope.Cluster,
    };
}
