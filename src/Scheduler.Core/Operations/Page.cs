namespace Scheduler.Core.Operations;

/// <summary>One page of a listing: the items, whether more follow, and the total when it was counted.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Skip, int Take, bool HasMore, int? Total);
