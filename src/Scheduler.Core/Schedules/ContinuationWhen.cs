namespace Scheduler.Core.Schedules;

/// <summary><c>Scheduler:Jobs:&lt;name&gt;:After:When</c>: which endings of the parent job start the continuation.</summary>
public enum ContinuationWhen
{
    Success,
    Failure,
    Any,
}
