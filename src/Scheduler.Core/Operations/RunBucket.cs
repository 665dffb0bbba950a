namespace Scheduler.Core.Operations;

/// <summary>Runs fired in [<see cref="StartUtc"/>, <see cref="StartUtc"/> + bucket size), every result, and how many of them failed.</summary>
public sealed record RunBucket(DateTimeOffset StartUtc, long Runs, long Failed);
