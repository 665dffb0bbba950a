using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Core.Fencing;
using Scheduler.Core.Hosting;
using Scheduler.Core.Operations;
using Scheduler.Core.Retention;
using Scheduler.Core.Retries;
using Scheduler.Core.Telemetry;
using Scheduler.Core.Schedules;

namespace Scheduler.Core.Quartz;

/// <summary>
/// Composes Quartz for a cluster node: the clustered ADO.NET store on the shared data source, the
/// System.Text.Json serializer, persisted execution history, Quartz's health check, and a graceful stop.
/// Everything Quartz can read from its own <c>Quartz</c> section (<c>Quartz:Scheduler</c>, <c>Quartz:ThreadPool</c>,
/// <c>Quartz:JobStore</c>, <c>Quartz:JobStore:Clustering</c>, <c>Quartz:Scheduling</c>) is left to it.
/// </summary>
public static class QuartzHostingExtensions
{
    /// <summary>Section bound onto Quartz's <see cref="ExecutionHistoryOptions"/>.</summary>
    public const string HistorySectionName = "Scheduler:History";

    /// <summary>
    /// Section bound onto Quartz's <see cref="ExecutionLogCaptureOptions"/> (<c>MaxLines</c>, <c>MaxBytes</c>), plus
    /// <c>Enabled</c> (default true): what each execution logs is kept with its history row.
    /// </summary>
    public const string LogCaptureSectionName = "Scheduler:History:LogCapture";

    /// <summary>
    /// Adds the scheduler, with the <c>Scheduler:Jobs</c> entries validated at start and reconciled into the store
    /// before it fires. <paramref name="kinds"/> says which job types configuration may name.
    /// </summary>
    public static IHostApplicationBuilder AddSchedulerQuartz(this IHostApplicationBuilder builder, JobKindRegistry kinds)
    {
        builder.AddQuartz(q =>
        {
            q.UsePersistentStore(store =>
            {
                // Quartz's own PostgreSQL delegate: a subclass of it loses the batched, lock-free firing rounds (SupportsFireOnAcquire).
                // Nodes claim tied triggers in one order through the schema instead: sql/0016_acquisition_order.sql.
                store.UsePostgres(ds => ds.UseRegisteredDataSource = true);
                store.UseSystemTextJsonSerializer();
                store.UseClustering(_ => { });
                store.UseExecutionHistory();
            });
            // Ready means firing: a node in standby (starting, draining) or whose cluster check-in stalled is taken out of rotation.
            q.AddQuartzHealthChecks(h =>
            {
                h.Tags.Add("ready");
                h.StandbyStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Unhealthy;
                h.ClusterCheckinTolerance = CheckinTolerance(builder.Configuration);
            });
            // First, so it keeps what the fencing middleware logs too: the dashboard shows a failed run's own log lines.
            var capture = builder.Configuration.GetSection(LogCaptureSectionName);
            if (capture.GetValue("Enabled", true))
            {
                q.UseExecutionLogCapture(o => capture.Bind(o));
            }

            // What this process runs, known without the store: a node drains and interrupts its own work during a database outage.
            q.AddJobMiddleware(sp => sp.GetRequiredService<RunningFirings>());
            // Before the timeout and the job: a fire that is a duplicate never reaches either.
            q.AddJobMiddleware<OccurrenceFencingMiddleware>();
            q.AddSchedulerListener<TriggerErrorListener>();
            q.AddConfiguredSchedulePolicies(builder.Configuration);
        });
        builder.AddSchedulerSchedules(kinds);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<SchedulerMetrics>();
        // Nothing to range-check, but a value that does not bind (Enabled: "maybe") stops the node at start, naming the key.
        builder.Services.AddOptions<FencingOptions>().BindConfiguration(FencingOptions.SectionName).ValidateOnStart();
        builder.AddSchedulerRetention();
        builder.Services.TryAddSingleton<RetryDecider>();
        builder.Services.AddOptions<RetryOptions>()
            .BindConfiguration(RetryOptions.SectionName)
            .Validate(o => o.RecoveryInterval >= TimeSpan.FromSeconds(1) && o.RecoveryInterval <= TimeSpan.FromMinutes(10),
                "Scheduler:Retries:RecoveryInterval must be between 00:00:01 and 00:10:00.")
            .ValidateOnStart();
        builder.Services.AddHostedService<RetryRecoveryService>();

        var history = builder.Configuration.GetSection(HistorySectionName);
        builder.Services.AddQuartzExecutionHistory(o =>
        {
            o.Retention = TimeSpan.FromDays(14);
            o.MaxEntriesPerScheduler = 2_000_000;
            history.Bind(o);
        });
        // Quartz's own validator (ExecutionHistoryOptionsValidator), at start rather than at the first execution recorded.
        builder.Services.AddOptions<ExecutionHistoryOptions>().ValidateOnStart();

        // After the reconcile, before Quartz: a restored copy is paused before its scheduler fires or recovers anything.
        builder.Services.AddOptions<RestoreGuardOptions>()
            .BindConfiguration(RestoreGuardOptions.SectionName)
            .Validate(o => o.HoldAfterSilence >= TimeSpan.Zero, $"{RestoreGuardOptions.SectionName}:HoldAfterSilence must not be negative (00:00:00 disables).")
            .ValidateOnStart();
        builder.Services.AddHostedService<RestoreGuardService>();

        // After the reconcile service (registered by AddSchedulerSchedules): the store matches configuration before Quartz fires.
        // Quartz's hosted service with a stop bounded by the host's deadline: a node stops even when PostgreSQL is gone.
        builder.Services.AddSingleton<NodeStopOutcome>();
        builder.Services.AddSingleton<RunningFirings>();
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        BoundedQuartzHostedService.Replace(builder.Services);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ShutdownOptions>()
            .BindConfiguration(ShutdownOptions.SectionName)
            .Validate(o => o.DrainTimeout >= TimeSpan.FromSeconds(1) && o.DrainTimeout <= TimeSpan.FromHours(1),
                "Scheduler:Shutdown:DrainTimeout must be between 00:00:01 and 01:00:00.")
            .Validate(o => o.InterruptGrace >= TimeSpan.Zero && o.InterruptGrace <= TimeSpan.FromMinutes(5),
                "Scheduler:Shutdown:InterruptGrace must be between 00:00:00 and 00:05:00.")
            .ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = shutdown.Value.DrainTimeout + shutdown.Value.InterruptGrace + ShutdownOptions.ExitMargin);
        // After AddQuartzHostedService: the host stops services in reverse order, so this drains before Quartz shuts down.
        builder.Services.AddHostedService<GracefulShutdownService>();
        return builder;
    }

    /// <summary>
    /// A node whose own check-in is overdue reports not ready once its peers would write it off (interval + threshold), not
    /// after Quartz's default three intervals, which with the shipped 15 s interval would be 45 s; never later than three.
    /// </summary>
    private static double CheckinTolerance(IConfiguration configuration)
    {
        var interval = configuration.GetValue<TimeSpan?>("Quartz:JobStore:Clustering:CheckinInterval") ?? TimeSpan.FromSeconds(7.5);
        var threshold = configuration.GetValue<TimeSpan?>("Quartz:JobStore:Clustering:CheckinMisfireThreshold") ?? TimeSpan.FromSeconds(7.5);
        return interval > TimeSpan.Zero ? Math.Min(3, (interval + threshold) / interval) : 3;
    }
}
