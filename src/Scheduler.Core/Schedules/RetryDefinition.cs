using Scheduler.Core.Retries;

namespace Scheduler.Core.Schedules;

/// <summary>
/// <c>Scheduler:Jobs:&lt;name&gt;:Retry</c>: the service's retry policy for the entry's occurrences. A failed occurrence with
/// attempts left runs again from a one-shot retry trigger bound to it (never Quartz's own <c>RetryPolicy</c>, which stays off);
/// one whose attempts are spent, or whose failure is not retryable, becomes a dead letter.
/// </summary>
public sealed class RetryDefinition
{
    /// <summary><c>Fixed</c> or <c>Exponential</c> (default).</summary>
    public RetryBackoff Policy { get; set; } = RetryBackoff.Exponential;

    /// <summary>Retries after the first failure (1–100).</summary>
    public int Attempts { get; set; } = 3;

    /// <summary>Wait before the first retry.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Exponential: each wait is the previous one times this (≥ 1, default 2).</summary>
    public double Factor { get; set; } = 2;

    /// <summary>Ceiling on a wait.</summary>
    public TimeSpan? MaxDelay { get; set; }

    /// <summary>Scatter each wait by ±this fraction (0–1, default 0).</summary>
    public double Jitter { get; set; }

    /// <summary>Exception type names (full or short) that retry; when set, other failures do not.</summary>
    public List<string> RetryOn { get; set; } = [];

    /// <summary>Exception type names (full or short) that never retry.</summary>
    public List<string> NoRetryOn { get; set; } = [];
}
