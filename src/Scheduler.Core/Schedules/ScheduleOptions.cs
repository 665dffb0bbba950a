namespace Scheduler.Core.Schedules;

/// <summary>The <c>Scheduler:Jobs</c> entries as read at start, with any problem reading them.</summary>
public sealed class ScheduleOptions
{
    public IReadOnlyList<JobDefinition> Jobs { get; set; } = [];

    /// <summary>Entries that could not even be bound (unknown key, malformed value).</summary>
    public IReadOnlyList<string> ReadProblems { get; set; } = [];

    /// <summary>The entries that are scheduled: enabled ones.</summary>
    public IEnumerable<JobDefinition> Enabled => Jobs.Where(j => j.Enabled);
}
