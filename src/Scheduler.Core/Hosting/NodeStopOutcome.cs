namespace Scheduler.Core.Hosting;

/// <summary>
/// How the node's stop went, and so the process's exit code: <see cref="CleanExitCode"/> when every step finished, or
/// <see cref="DeadlineExitCode"/> when the stop deadline (<c>DrainTimeout + InterruptGrace + </c><see cref="ShutdownOptions.ExitMargin"/>)
/// passed first, typically because PostgreSQL was unreachable and Quartz could not release what this node held.
/// </summary>
public sealed class NodeStopOutcome
{
    /// <summary>Exit code of a node that drained and shut Quartz down completely.</summary>
    public const int CleanExitCode = 0;

    /// <summary>
    /// Exit code of a node that gave up at the stop deadline: the database was unreachable or a job did not unwind. The
    /// cluster treats it as a failed node: the others recover its acquired triggers and its jobs that request recovery.
    /// </summary>
    public const int DeadlineExitCode = 3;

    private string? unfinished;

    /// <summary>Why the stop was not complete, or null while it is.</summary>
    public string? Unfinished => Volatile.Read(ref unfinished);

    /// <summary>The exit code the node returns once the host has stopped.</summary>
    public int ExitCode => Unfinished is null ? CleanExitCode : DeadlineExitCode;

    /// <summary>Records that the stop did not complete, and why (the first reason wins).</summary>
    public void GaveUp(string reason) => Interlocked.CompareExchange(ref unfinished, reason, null);
}
