namespace Scheduler.Data.Failover;

/// <summary>What the server says about a peer whose lock was just released.</summary>
/// <param name="Sessions">Sessions whose <c>application_name</c> is the peer's instance id (every connection a node opens carries it).</param>
/// <param name="LockHeld">Whether some session holds the peer's lock again (the peer re-took it: alive).</param>
/// <param name="LastCheckin">The peer's check-in as its row says (.NET ticks), or null when it has no row (already recovered).</param>
public readonly record struct PeerPresence(int Sessions, bool LockHeld, long? LastCheckin)
{
    /// <summary>The server has no session of the peer left and nobody holds its lock: its process is gone, or cut off from the server entirely.</summary>
    public bool Gone => Sessions == 0 && !LockHeld;
}
