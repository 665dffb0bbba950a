namespace Scheduler.Core.Clock;

/// <summary>
/// The node's clock as PostgreSQL keeps it: the system clock minus the last measured offset. Quartz runs on it (check-in
/// stamps, failure detection, acquisition, fire times), so a node whose own clock is skewed neither fires early nor declares
/// healthy nodes failed. Timers and elapsed-time measurements stay on the system's monotonic clock.
/// </summary>
public sealed class DatabaseTimeProvider(TimeProvider local) : TimeProvider
{
    private long offsetTicks;

    /// <summary>The uncorrected system clock, which the offset is measured on.</summary>
    public TimeProvider Local { get; } = local;

    /// <summary>Local minus database, as last measured (zero until the first measurement).</summary>
    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));

    public override DateTimeOffset GetUtcNow() => Local.GetUtcNow() - Offset;

    public override TimeZoneInfo LocalTimeZone => Local.LocalTimeZone;

    /// <summary>Applies a new measurement.</summary>
    public void Correct(TimeSpan offset) => Interlocked.Exchange(ref offsetTicks, offset.Ticks);
}
