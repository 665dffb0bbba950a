namespace Scheduler.Core.Schedules;

/// <summary>What a reconcile changed, by job key (<c>group.name</c>).</summary>
public sealed record ReconcileResult(
    IReadOnlyList<string> Added,
    IReadOnlyList<string> Updated,
    IReadOnlyList<string> Removed,
    IReadOnlyList<string> Kept);
