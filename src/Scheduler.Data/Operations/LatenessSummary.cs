namespace Scheduler.Data.Operations;

/// <summary>How late a job's occurrences were claimed after their scheduled fire time, in milliseconds, over a window.</summary>
public sealed record LatenessSummary(long Occurrences, double? P50Ms, double? P95Ms, double? P99Ms, double? MaxMs);
