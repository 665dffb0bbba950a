namespace Scheduler.Core.Failover;

/// <summary>What a node concluded when a peer's lock was released.</summary>
public enum PeerVerdict
{
    /// <summary>No session of the peer is left and nobody holds its lock: marked failed, and Quartz recovers it now.</summary>
    Gone,

    /// <summary>The peer took its lock again: only its lock session was lost. Nothing is done.</summary>
    Alive,

    /// <summary>Its lock is free but some of its sessions remain after <see cref="FailoverOptions.ConfirmWithin"/>: left to the check-in threshold.</summary>
    Unconfirmed,
}
