namespace Scheduler.Core.Operations;

/// <summary>The restored-copy guard. Section <c>Scheduler:Restore</c>.</summary>
public sealed class RestoreGuardOptions
{
    public const string SectionName = "Scheduler:Restore";

    /// <summary>
    /// A node that starts when no node of its cluster has checked in for longer than this (default 1 hour; <c>00:00:00</c>
    /// disables) pauses every trigger before it fires anything: the database is a restored copy, or the whole cluster was
    /// down that long. An operator resumes with <c>scheduler resume --all</c> once this is the database that should fire.
    /// </summary>
    public TimeSpan HoldAfterSilence { get; set; } = TimeSpan.FromHours(1);
}
