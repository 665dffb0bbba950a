namespace Scheduler.Jobs.Heartbeat;

/// <summary>The sample heartbeat job's schedule. Section <c>Scheduler:Heartbeat</c>.</summary>
public sealed class HeartbeatOptions
{
    public const string SectionName = "Scheduler:Heartbeat";

    /// <summary>Whether the heartbeat is scheduled at all (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Quartz cron expression with seconds (default every 5 seconds).</summary>
    public string Cron { get; set; } = "0/5 * * * * ?";

    /// <summary>Simulated work per run, to watch draining and recovery (default none). Honours cancellation.</summary>
    public TimeSpan WorkDuration { get; set; } = TimeSpan.Zero;
}
