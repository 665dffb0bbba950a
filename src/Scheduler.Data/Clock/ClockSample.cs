namespace Scheduler.Data.Clock;

/// <summary>
/// One reading of PostgreSQL's clock against this process's: <see cref="Offset"/> is local minus database (positive when this
/// node's clock is ahead), corrected by half the <see cref="RoundTrip"/>, so it is exact to within <c>RoundTrip / 2</c>.
/// </summary>
public readonly record struct ClockSample(TimeSpan Offset, TimeSpan RoundTrip);
