using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Core.Telemetry;
using Scheduler.Data.Clock;

namespace Scheduler.Core.Clock;

/// <summary>
/// Measures this node's clock against PostgreSQL's at start and every check-in interval, corrects Quartz's clock
/// (<see cref="DatabaseTimeProvider"/>), exports the offset (<c>scheduler.clock.offset</c>) and, past
/// <see cref="ClockGuardOptions.MaxOffset"/>, puts this node's scheduler in standby (it stops acquiring; the cluster's
/// triggers are untouched and the other nodes fire them) until the clock is back within the limit. Never resumes a
/// node that is stopping.
/// </summary>
public sealed partial class ClockGuardService(
    DatabaseClockProbe probe,
    DatabaseTimeProvider clock,
    ISchedulerFactory schedulerFactory,
    IHostApplicationLifetime lifetime,
    SchedulerMetrics metrics,
    IOptions<ClockGuardOptions> options,
    IConfiguration configuration,
    ILogger<ClockGuardService> logger) : BackgroundService
{
    private static readonly TimeSpan MeasureTimeout = TimeSpan.FromSeconds(5);

    private ClockStatus status = new(null, null, null, options.Value.MaxOffset, Paused: false);

    /// <summary>The last measurement and whether the guard holds the node in standby.</summary>
    public ClockStatus Status => Volatile.Read(ref status);

    private TimeSpan Interval => options.Value.CheckInterval
        ?? configuration.GetValue<TimeSpan?>("Quartz:JobStore:Clustering:CheckinInterval")
        ?? TimeSpan.FromSeconds(7.5);

    /// <summary>Measures once before Quartz starts its scheduler (which waits for the host to have started), so the first fire is on a corrected clock.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await MeasureAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(stoppingToken);
        using var timer = new PeriodicTimer(Interval, clock.Local);
        while (true)
        {
            await EnforceAsync(scheduler, stoppingToken);
            if (!await timer.WaitForNextTickAsync(stoppingToken))
            {
                return;
            }

            await MeasureAsync(stoppingToken);
        }
    }

    /// <summary>Takes a measurement and applies it to the clock; false when the database could not be asked (the last offset stays).</summary>
    private async Task<bool> MeasureAsync(CancellationToken cancellationToken)
    {
        ClockSample sample;
        try
        {
            sample = await probe.MeasureAsync(clock.Local, cancellationToken).WaitAsync(MeasureTimeout, clock.Local, cancellationToken);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            LogUnmeasured(logger, e.Message);
            return false;
        }

        if (sample.RoundTrip > options.Value.MaxOffset)
        {
            // Uncertain by up to half the round trip: a slow database says little about the clocks. Keep the last offset.
            LogSlowRoundTrip(logger, sample.RoundTrip.TotalMilliseconds);
            return false;
        }

        clock.Correct(sample.Offset);
        metrics.ClockOffset(sample.Offset);
        var current = Status;
        Volatile.Write(ref status, current with { Offset = sample.Offset, RoundTrip = sample.RoundTrip, MeasuredAt = clock.GetUtcNow() });
        return true;
    }

    private async Task EnforceAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var current = Status;
        var skewed = current.Offset is { } offset && offset.Duration() > current.MaxOffset;
        var stopping = lifetime.ApplicationStopping.IsCancellationRequested;
        if (skewed)
        {
            if (!current.Paused)
            {
                LogSkewed(logger, current.OffsetText, current.MaxOffset.TotalMilliseconds);
                Volatile.Write(ref status, current with { Paused = true });
            }

            if (scheduler.Status is SchedulerStatus.Running)
            {
                await scheduler.Standby(cancellationToken);
            }
        }
        else if (current.Paused && !stopping)
        {
            Volatile.Write(ref status, current with { Paused = false });
            if (scheduler.Status is SchedulerStatus.Standby)
            {
                await scheduler.Start(cancellationToken);
            }

            LogBack(logger, current.OffsetText);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Clock offset from PostgreSQL {Offset} exceeds Scheduler:ClockGuard:MaxOffset ({MaxOffsetMs} ms): this node stops acquiring triggers until its clock is back (fix NTP on this host)")]
    private static partial void LogSkewed(ILogger logger, string offset, double maxOffsetMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Clock offset from PostgreSQL back to {Offset}: this node acquires triggers again")]
    private static partial void LogBack(ILogger logger, string offset);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Clock offset not applied: round trip {RoundTripMs} ms is longer than MaxOffset; keeping the last one")]
    private static partial void LogSlowRoundTrip(ILogger logger, double roundTripMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Clock offset not measured ({Reason}); keeping the last one")]
    private static partial void LogUnmeasured(ILogger logger, string reason);
}
