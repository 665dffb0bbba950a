using Quartz;

namespace Scheduler.Core.Operations;

/// <summary>Which executions to list: a job (exact), results, a node, a fire-time window [From, Before); and the page.</summary>
public sealed record ExecutionFilter(
    JobKey? Job, IReadOnlyCollection<JobRunResult>? Results, string? Node, DateTimeOffset? From, DateTimeOffset? Before, int Skip, int Take);
