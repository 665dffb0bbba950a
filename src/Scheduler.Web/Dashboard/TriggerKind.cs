namespace Scheduler.Web.Dashboard;

/// <summary>Why a trigger exists: a configured schedule, an operator's Trigger now, a service-owned retry, a replay, or Quartz recovering a failed node's job.</summary>
public enum TriggerKind
{
    Scheduled,
    Manual,
    Retry,
    Replay,
    Recovery,
}
