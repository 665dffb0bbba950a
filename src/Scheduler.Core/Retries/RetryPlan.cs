using System.Text.Json;
using System.Text.Json.Serialization;
using Quartz;
using Scheduler.Core.Schedules;

namespace Scheduler.Core.Retries;

/// <summary>
/// A job's retry policy, parsed once: how many retries follow a failure, how long each waits, and which failures retry.
/// Stored as JSON in the job's data under <see cref="JobDataKey"/> so every node retries the same way; a job class may
/// declare one with <see cref="JobRetryAttribute"/>, which configuration overrides.
/// </summary>
public sealed record RetryPlan(
    RetryBackoff Backoff,
    int Attempts,
    TimeSpan Delay,
    double Factor = 2,
    TimeSpan? MaxDelay = null,
    double Jitter = 0,
    IReadOnlyList<string>? RetryOn = null,
    IReadOnlyList<string>? NoRetryOn = null)
{
    /// <summary>Job data key holding the configured plan (reserved: never taken from API data).</summary>
    public const string JobDataKey = "scheduler.retry";

    /// <summary>No wait is longer than this, whatever the policy or a <c>Retry-After</c> says.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    private static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>The plan of a configuration entry's <c>Retry</c> section (already validated).</summary>
    public static RetryPlan From(RetryDefinition d) => new(
        d.Policy,
        d.Attempts, d.Delay, d.Factor, d.MaxDelay, d.Jitter,
        d.RetryOn.Count > 0 ? [.. d.RetryOn] : null, d.NoRetryOn.Count > 0 ? [.. d.NoRetryOn] : null);

    /// <summary>The plan <paramref name="job"/> runs under: its configured one, else its class's attribute, else null (no retries).</summary>
    public static RetryPlan? For(IJobDetail job) =>
        job.JobDataMap.TryGetString(JobDataKey, out var json) && !string.IsNullOrEmpty(json)
            ? JsonSerializer.Deserialize<RetryPlan>(json, Json)
            : JobRetryAttribute.Of(job.JobType.Type)?.ToPlan();

    /// <summary>The form stored in job data.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>
    /// The wait before retry <paramref name="retry"/> (1 for the first): <c>Delay</c>, times <c>Factor</c>^(retry−1) when
    /// exponential, scattered by ±<c>Jitter</c> (<paramref name="random"/> in [0, 1) picks where), never above <c>MaxDelay</c>
    /// nor a day, never below zero.
    /// </summary>
    public TimeSpan WaitBefore(int retry, double random)
    {
        var seconds = Delay.TotalSeconds;
        if (Backoff == RetryBackoff.Exponential)
        {
            seconds *= Math.Pow(Factor, Math.Max(0, retry - 1));
        }

        var ceiling = Math.Min((MaxDelay ?? LongestWait).TotalSeconds, LongestWait.TotalSeconds);
        seconds = Math.Min(seconds, ceiling);
        seconds *= 1 + (Jitter * ((2 * random) - 1));
        return TimeSpan.FromSeconds(Math.Clamp(seconds, 0, ceiling));
    }

    /// <summary>The bounds <see cref="WaitBefore"/> stays within for retry <paramref name="retry"/>.</summary>
    public (TimeSpan Min, TimeSpan Max) WaitBounds(int retry) => (WaitBefore(retry, 0), WaitBefore(retry, 1));
}
