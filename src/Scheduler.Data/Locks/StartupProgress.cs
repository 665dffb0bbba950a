namespace Scheduler.Data.Locks;

/// <summary>
/// What a starting node is waiting for (the database, a start-up lock and who holds it), or null once it waits for nothing.
/// One per process; <c>/health/ready</c> names it while the node is not ready.
/// </summary>
public sealed class StartupProgress
{
    private volatile string? waitingFor;

    /// <summary>A short phrase such as <c>the migration lock (83610001) held by node-2 (pid 4711)</c>; null when not waiting.</summary>
    public string? WaitingFor => waitingFor;

    public void Waiting(string what) => waitingFor = what;

    public void Done() => waitingFor = null;
}
