using Scheduler.Core.Fencing;

namespace Scheduler.Web.Dashboard;

/// <summary>
/// What a trigger is, named for the operator: Quartz's own key for a <c>Trigger now</c> (<c>DEFAULT.MT_…</c>), a retry, a
/// replay or a recovery says nothing, so those are shown by what they are with the key kept as a tooltip.
/// </summary>
public static class TriggerNames
{
    public static (string Label, TriggerKind Kind) Describe(string group, string name, bool manual = false) => group switch
    {
        OccurrenceKey.RetryTriggerGroup => ("retry", TriggerKind.Retry),
        OccurrenceKey.ReplayTriggerGroup => ("replay", TriggerKind.Replay),
        Quartz.SchedulerConstants.DefaultRecoveryGroup => ("recovery (after a node failed)", TriggerKind.Recovery),
        // Quartz's IScheduler.TriggerJob stores a one-shot trigger named MT_<random> in the default group.
        _ when manual || (group == Quartz.TriggerKey.DefaultGroup && name.StartsWith("MT_", StringComparison.Ordinal)) =>
            ("manual (Trigger now)", TriggerKind.Manual),
        _ => ($"{group}.{name}", TriggerKind.Scheduled),
    };
}

