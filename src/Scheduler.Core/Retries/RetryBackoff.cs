namespace Scheduler.Core.Retries;

/// <summary>How the wait before each retry grows.</summary>
public enum RetryBackoff
{
    /// <summary>The same wait before every retry.</summary>
    Fixed,

    /// <summary>Each wait is the previous one times the factor, up to the ceiling.</summary>
    Exponential,
}
