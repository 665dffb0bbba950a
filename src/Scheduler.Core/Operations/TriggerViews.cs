using Quartz;

namespace Scheduler.Core.Operations;

/// <summary>Builds <see cref="TriggerView"/>s from Quartz's trigger headers, reading each trigger once for its schedule and zone.</summary>
internal static class TriggerViews
{
    public static async Task<TriggerView> BuildAsync(IScheduler scheduler, TriggerHeader header, CancellationToken cancellationToken)
    {
        var trigger = await scheduler.GetTrigger(header.Key, cancellationToken);
        var cron = trigger as ICronTrigger;
        var zone = cron?.TimeZone ?? TimeZoneInfo.Utc;
        return new TriggerView(
            header.Key.Group,
            header.Key.Name,
            header.JobKey.Group,
            header.JobKey.Name,
            header.TriggerType,
            header.State.ToString(),
            cron?.CronExpressionString,
            cron is null ? null : zone.Id,
            header.NextFireTimeUtc,
            Local(header.NextFireTimeUtc, zone),
            header.PreviousFireTimeUtc,
            Local(header.PreviousFireTimeUtc, zone),
            header.Pause is { } p ? new PauseView(p.Reason, p.RequestedBy, p.PausedAtUtc) : null,
            header.Priority,
            header.Description);
    }

    /// <summary>The gravest state among a job's triggers: what an operator must see first.</summary>
    public static string JobState(IEnumerable<TriggerState> states)
    {
        var list = states.ToList();
        if (list.Count == 0)
        {
            return "NoTriggers";
        }

        foreach (var grave in (ReadOnlySpan<TriggerState>)[TriggerState.Error, TriggerState.Paused, TriggerState.Blocked, TriggerState.Normal])
        {
            if (list.Contains(grave))
            {
                return grave.ToString();
            }
        }

        return list[0].ToString();
    }

    private static DateTimeOffset? Local(DateTimeOffset? utc, TimeZoneInfo zone) =>
        utc is { } value ? TimeZoneInfo.ConvertTime(value, zone) : null;
}
