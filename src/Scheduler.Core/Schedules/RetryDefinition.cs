namespace Scheduler.Core.Schedules;

/// <summary><c>Scheduler:Jobs:&lt;name&gt;:Retry</c>: becomes a Quartz <c>RetryPolicy</c> on each of the entry's triggers.</summary>
public sealed class RetryDefinition
{
    /// <summary><c>Fixed</c> or <c>Exponential</c> (default).</summary>
    public string Policy { get; set; } = "Exponential";

    /// <summary>Retries after the first failure (1–100).</summary>
    public int Attempts { get; set; } = 3;

    /// <summary>Wait before the first retry.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Exponential: each wait is the previous one times this (≥ 1, default 2).</summary>
    public double Factor { get; set; } = 2;

    /// <summary>Exponential: ceiling on a wait.</summary>
    public TimeSpan? MaxDelay { get; set; }

    /// <summary>Exponential: scatter each wait by ±this fraction (0–1, default 0).</summary>
    public double Jitter { get; set; }
}
