namespace Scheduler.Core.Retries;

/// <summary>
/// Whether a failure may be retried and why; when the failing system asked for a wait (HTTP <c>Retry-After</c>), either
/// <see cref="RetryAfter"/> (a duration) or <see cref="RetryNotBefore"/> (a date) says how long.
/// </summary>
public sealed record FailureVerdict(bool Retryable, string Reason, TimeSpan? RetryAfter = null, DateTimeOffset? RetryNotBefore = null);
