namespace Scheduler.Core.Schedules;

/// <summary><c>Scheduler:Jobs:&lt;name&gt;:Overlap</c>: what a fire does while the trigger's previous fire still runs.</summary>
public enum OverlapSetting
{
    /// <summary>Run alongside it.</summary>
    Allow,

    /// <summary>Skip this fire.</summary>
    Skip,

    /// <summary>Wait for it (one fire is buffered).</summary>
    Wait,

    /// <summary>Interrupt it, then run.</summary>
    CancelPrevious,
}
