namespace Scheduler.Core.Clock;

/// <summary>What the clock guard last saw: the offset (null before the first measurement) and whether it holds the node in standby.</summary>
public sealed record ClockStatus(TimeSpan? Offset, TimeSpan? RoundTrip, DateTimeOffset? MeasuredAt, TimeSpan MaxOffset, bool Paused)
{
    /// <summary>The offset in whole milliseconds with its sign, for messages: <c>+4012 ms</c>.</summary>
    public string OffsetText => Offset is { } o ? $"{o.TotalMilliseconds:+0;-0;0} ms" : "not measured";
}
