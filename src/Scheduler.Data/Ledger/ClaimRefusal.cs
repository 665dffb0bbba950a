namespace Scheduler.Data.Ledger;

/// <summary>
/// Why an occurrence is not this run's to execute: <see cref="Reason"/> for code, <see cref="Text"/> for people (the
/// <c>reason</c> column of <c>scheduler_suppressed_duplicates</c>, the log, the history row).
/// </summary>
/// <param name="Reason">The kind of duplicate.</param>
/// <param name="Holder">The node that completed or holds the occurrence, when the ledger names one.</param>
/// <param name="State">The ledger state that refused a <see cref="DuplicateReason.NotThisAttempt"/> claim.</param>
public sealed record ClaimRefusal(DuplicateReason Reason, string? Holder = null, string? State = null)
{
    /// <summary>The refusal of a run whose claim was taken over while it stalled.</summary>
    public static ClaimRefusal TakenOver { get; } = new(DuplicateReason.TakenOver);

    /// <summary>The sentence recorded and logged, e.g. <c>already completed by node-2</c>.</summary>
    public string Text => Reason switch
    {
        DuplicateReason.AlreadyCompleted => $"already completed by {Holder}",
        DuplicateReason.HeldByLiveNode => $"held by {Holder}, which is alive",
        DuplicateReason.NotThisAttempt => $"{State}: not this attempt's to run",
        DuplicateReason.TakenOver => "taken over by another node while this one stalled",
        _ => "unknown",
    };

    public override string ToString() => Text;
}
