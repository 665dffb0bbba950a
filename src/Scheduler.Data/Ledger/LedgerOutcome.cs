namespace Scheduler.Data.Ledger;

/// <summary>The states an occurrence's ledger row ends a run in.</summary>
public enum OccurrenceState
{
    /// <summary>Ran to completion.</summary>
    Completed,

    /// <summary>Failed, with no retry policy: an operator may replay it.</summary>
    Failed,

    /// <summary>Failed with attempts left: a one-shot retry trigger runs the next attempt.</summary>
    Retrying,

    /// <summary>Failed for good (attempts spent, or not retryable): a dead letter an operator may replay.</summary>
    Dead,
}

/// <summary>
/// How a run ended, as the ledger records it. <see cref="Error"/> is the failure's message (kept truncated);
/// <see cref="RetryAt"/> and <see cref="RetryTrigger"/> name the pending retry of a <see cref="OccurrenceState.Retrying"/> outcome.
/// </summary>
public sealed record LedgerOutcome(OccurrenceState State, string? Error = null, DateTimeOffset? RetryAt = null, string? RetryTrigger = null)
{
    /// <summary>The most characters of an error the ledger keeps.</summary>
    public const int MaxErrorLength = 2000;

    public static LedgerOutcome Completed { get; } = new(OccurrenceState.Completed);

    /// <summary>The state's name in <c>scheduler_occurrences.state</c>.</summary>
    public string StateName => Name(State);

    /// <summary>The name of <paramref name="state"/> in <c>scheduler_occurrences.state</c>.</summary>
    public static string Name(OccurrenceState state) => state switch
    {
        OccurrenceState.Completed => "completed",
        OccurrenceState.Failed => "failed",
        OccurrenceState.Retrying => "retrying",
        _ => "dead",
    };

    internal string? TruncatedError => Error is { Length: > MaxErrorLength } e ? e[..MaxErrorLength] + "…" : Error;
}
