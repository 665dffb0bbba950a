namespace Scheduler.Jobs.Heartbeat;

/// <summary>The sample heartbeat job's schedule. Section <c>Scheduler:Heartbeat</c>.</summary>
public sealed class HeartbeatOptions
{
    public const string SectionName = "Scheduler:Heartbeat";

    /// <summary>Whether the heartbeat is scheduled at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Quartz cron expressions with seconds, one trigger each: one expression, or several (an array) to stagger
    /// fires so that every node of a cluster picks some up. Default: three triggers, a fire every 2 seconds.
    /// </summary>
    public IReadOnlyList<string> Cron { get; set; } = ["0/6 * * * * ?", "2/6 * * * * ?", "4/6 * * * * ?"];

    /// <summary>Simulated work per run, to watch draining and recovery (default none). Honours cancellation.</summary>
    public TimeSpan WorkDuration { get; set; } = TimeSpan.Zero;
}
