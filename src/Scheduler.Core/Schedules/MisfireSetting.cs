namespace Scheduler.Core.Schedules;

/// <summary><c>Scheduler:Jobs:&lt;name&gt;:Misfire</c>: what a cron trigger does with fires missed while nothing could run them.</summary>
public enum MisfireSetting
{
    /// <summary>Quartz's smart policy for cron triggers (fire once now).</summary>
    Smart,

    /// <summary>Fire once now, then continue the schedule.</summary>
    FireNow,

    /// <summary>Skip the missed fires; wait for the next one.</summary>
    DoNothing,

    /// <summary>Run every missed fire.</summary>
    CatchUp,
}
