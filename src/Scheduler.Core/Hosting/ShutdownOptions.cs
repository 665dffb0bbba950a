namespace Scheduler.Core.Hosting;

/// <summary>How a node stops on SIGTERM. Section <c>Scheduler:Shutdown</c>.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Scheduler:Shutdown";

    /// <summary>
    /// What the stop may take beyond <see cref="DrainTimeout"/> + <see cref="InterruptGrace"/> for Quartz to release
    /// what the node holds. Past it the node exits with <see cref="NodeStopOutcome.DeadlineExitCode"/>.
    /// </summary>
    public static readonly TimeSpan ExitMargin = TimeSpan.FromSeconds(5);

    /// <summary>How long running jobs may take to finish after the node stops acquiring (default 30 s, 1 s to 1 h).</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long interrupted jobs get to unwind after the drain deadline (default 10 s, 0 to 5 min).</summary>
    public TimeSpan InterruptGrace { get; set; } = TimeSpan.FromSeconds(10);
}
