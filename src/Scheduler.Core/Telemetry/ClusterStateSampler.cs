using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Quartz.Extensibility;
using Scheduler.Core.Schedules;
using Scheduler.Data.Telemetry;

namespace Scheduler.Core.Telemetry;

/// <summary>
/// Gauges of what the store says about the whole cluster, sampled every <see cref="TelemetryOptions.SampleInterval"/> and
/// reported by every node (alert rules take the max across nodes): triggers in ERROR by job, each node's check-in age,
/// and for jobs whose entry sets <see cref="JobDefinition.SucceedWithin"/>, how long ago they last succeeded and their
/// window. A failed sample is logged and the gauges report nothing until the next one succeeds, rather than stale values.
/// </summary>
public sealed partial class ClusterStateSampler : BackgroundService
{
    private readonly ClusterStateQueries queries;
    private readonly ISchedulerFactory schedulers;
    private readonly IServiceProvider services;
    private readonly IOptions<ScheduleOptions> schedules;
    private readonly IOptions<TelemetryOptions> options;
    private readonly TimeProvider clock;
    private readonly ILogger<ClusterStateSampler> logger;
    private readonly Dictionary<JobKey, DateTimeOffset> firstSeen = [];
    private volatile Sample current = Sample.None;

    public ClusterStateSampler(
        SchedulerMetrics metrics, ClusterStateQueries queries, ISchedulerFactory schedulers, IServiceProvider services,
        IOptions<ScheduleOptions> schedules, IOptions<TelemetryOptions> options, TimeProvider clock, ILogger<ClusterStateSampler> logger)
    {
        (this.queries, this.schedulers, this.services, this.schedules, this.options, this.clock, this.logger) =
            (queries, schedulers, services, schedules, options, clock, logger);
        var meter = metrics.Meter;
        meter.CreateObservableGauge("scheduler.triggers.error",
            () => current.Cluster.TriggersInError.Select(e => new Measurement<long>(e.Value, Job(e.Key))), unit: "{trigger}",
            description: "Triggers Quartz holds in ERROR, by job (cluster-wide, from the store); `scheduler reset` or the API clears them.");
        meter.CreateObservableGauge("scheduler.cluster.node.checkin_age",
            () => current.Cluster.CheckinAge.Select(e => new Measurement<double>(e.Value, new TagList { { "scheduler.node", e.Key } })), unit: "s",
            description: "Seconds since each node row in qrtz_scheduler_state last checked in, on PostgreSQL's clock (cluster-wide).");
        meter.CreateObservableGauge("scheduler.job.success_age",
            () => current.SuccessAge.Select(e => new Measurement<double>(e.Value, Job(e.Key))), unit: "s",
            description: "For jobs with SucceedWithin: seconds since the last successful run fired (since this node first looked, if none is recorded).");
        meter.CreateObservableGauge("scheduler.job.success_window",
            () => current.Windows.Select(e => new Measurement<double>(e.Value, Job(e.Key))), unit: "s",
            description: "For jobs with SucceedWithin: the configured window, in seconds.");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval, clock);
        do
        {
            try
            {
                current = await SampleAsync(stoppingToken);
            }
            // Any failure, not only the database's: a metrics sampler must never stop the node (the host stops on a
            // background service's unhandled exception). It is logged, and the gauges' absence shows on the dashboard.
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                current = Sample.None;
                LogSampleFailed(logger, e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private async Task<Sample> SampleAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        var cluster = await queries.ReadAsync(scheduler.SchedulerName, cancellationToken);
        // Resolved once the scheduler is built, which builds the store.
        var history = services.GetRequiredService<IExecutionHistoryStore>();
        var now = clock.GetUtcNow();
        var ages = new Dictionary<string, double>(StringComparer.Ordinal);
        var windows = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var job in schedules.Value.Enabled.Where(j => j.SucceedWithin is not null))
        {
            var key = new JobKey(job.Name, job.Group);
            var status = await history.GetJobRunStatus(scheduler.SchedulerName, key, cancellationToken);
            var since = status?.LastSucceededAtUtc ?? FirstSeen(key, now);
            ages[key.ToString()] = Math.Max(0, (now - since).TotalSeconds);
            windows[key.ToString()] = job.SucceedWithin!.Value.TotalSeconds;
        }

        return new Sample(cluster, ages, windows);
    }

    /// <summary>A job with no recorded success is judged from when this node first looked, as Quartz's health check judges it.</summary>
    private DateTimeOffset FirstSeen(JobKey key, DateTimeOffset now)
    {
        if (!firstSeen.TryGetValue(key, out var seen))
        {
            firstSeen[key] = seen = now;
        }

        return seen;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static TagList Job(string key) => new() { { SchedulerMetrics.JobTag, key } };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not sample the cluster's state for the metrics; its gauges report nothing until the next sample")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);

    private sealed record Sample(ClusterSnapshot Cluster, IReadOnlyDictionary<string, double> SuccessAge, IReadOnlyDictionary<string, double> Windows)
    {
        public static readonly Sample None = new(ClusterSnapshot.Empty, new Dictionary<string, double>(), new Dictionary<string, double>());
    }
}
