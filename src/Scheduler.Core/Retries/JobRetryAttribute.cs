using System.Globalization;

namespace Scheduler.Core.Retries;

/// <summary>
/// Declares the retry policy of a job class, e.g. <c>[JobRetry(3, Delay = "00:00:30", NoRetryOn = [typeof(ArgumentException)])]</c>.
/// An entry's <c>Retry</c> section in configuration overrides it. Retries are the service's (one-shot triggers bound to the
/// occurrence), not Quartz's <c>RetryPolicyAttribute</c>, which stays unused.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class JobRetryAttribute(int attempts) : Attribute
{
    /// <summary>Retries after the first failure.</summary>
    public int Attempts { get; } = attempts;

    public RetryBackoff Backoff { get; set; } = RetryBackoff.Exponential;

    /// <summary>Wait before the first retry, as a <see cref="TimeSpan"/> string (default 10 s).</summary>
    public string Delay { get; set; } = "00:00:10";

    public double Factor { get; set; } = 2;

    /// <summary>Ceiling on a wait, as a <see cref="TimeSpan"/> string; none when null.</summary>
    public string? MaxDelay { get; set; }

    /// <summary>Scatter each wait by ±this fraction (0–1).</summary>
    public double Jitter { get; set; }

    /// <summary>Only failures of these exception types (or subtypes) retry; any when empty.</summary>
    public Type[] RetryOn { get; set; } = [];

    /// <summary>Failures of these exception types (or subtypes) never retry.</summary>
    public Type[] NoRetryOn { get; set; } = [];

    /// <summary>The attribute on <paramref name="jobType"/>, or null.</summary>
    public static JobRetryAttribute? Of(Type jobType) =>
        (JobRetryAttribute?)GetCustomAttribute(jobType, typeof(JobRetryAttribute), inherit: true);

    /// <summary>The plan this attribute declares.</summary>
    /// <exception cref="FormatException"><see cref="Delay"/> or <see cref="MaxDelay"/> is not a time span.</exception>
    public RetryPlan ToPlan() => new(
        Backoff, Attempts, TimeSpan.Parse(Delay, CultureInfo.InvariantCulture), Factor,
        MaxDelay is null ? null : TimeSpan.Parse(MaxDelay, CultureInfo.InvariantCulture), Jitter,
        RetryOn.Length > 0 ? [.. RetryOn.Select(t => t.FullName!)] : null,
        NoRetryOn.Length > 0 ? [.. NoRetryOn.Select(t => t.FullName!)] : null);
}
