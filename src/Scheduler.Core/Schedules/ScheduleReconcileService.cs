using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace Scheduler.Core.Schedules;

/// <summary>
/// Reconciles configuration into the store at start, before Quartz's hosted service starts firing (it is
/// registered ahead of it). A failure stops the node: a schedule that cannot be applied is not silently skipped.
/// </summary>
public sealed class ScheduleReconcileService(
    ISchedulerFactory schedulerFactory,
    IOptions<ScheduleOptions> options,
    ScheduleCompiler compiler,
    ScheduleReconciler reconciler,
    Telemetry.SchedulerMetrics metrics) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var desired = options.Value.Enabled.Select(compiler.Compile).ToList();
        var result = await reconciler.ReconcileAsync(scheduler, desired, cancellationToken);
        metrics.Reconciled(result.Added.Count, result.Updated.Count, result.Removed.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
