namespace Scheduler.Data.Ledger;

/// <summary>The primary key of an occurrence in <c>scheduler_occurrences</c>.</summary>
public sealed record LedgerKey(
    string SchedulerName, string JobGroup, string JobName, string TriggerGroup, string TriggerName, DateTimeOffset ScheduledFireTime)
{
    public override string ToString() =>
        $"{JobGroup}.{JobName} (trigger {TriggerGroup}.{TriggerName}) at {ScheduledFireTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffZ}";
}
