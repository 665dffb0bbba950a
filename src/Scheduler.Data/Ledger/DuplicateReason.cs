namespace Scheduler.Data.Ledger;

/// <summary>Why a run of an occurrence is a duplicate that must not run (see <see cref="ClaimRefusal"/>).</summary>
public enum DuplicateReason
{
    /// <summary>The occurrence already completed (a recovery re-fire of finished work, a late stalled node).</summary>
    AlreadyCompleted,

    /// <summary>Another node holds the claim and still checks in.</summary>
    HeldByLiveNode,

    /// <summary>The occurrence is in a state this run may not claim (a regular fire of a retrying occurrence, a stale retry).</summary>
    NotThisAttempt,

    /// <summary>Refused, but the ledger row could not be read back (deleted meanwhile).</summary>
    Unknown,

    /// <summary>This node's claim was taken over by another node while this one stalled; its fenced effects were rolled back.</summary>
    TakenOver,
}
