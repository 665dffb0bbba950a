using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Data.Operations;

namespace Scheduler.Core.Operations;

/// <summary>
/// Keeps a restored copy of the database from firing until an operator says so. Runs at start, after the reconcile and
/// before Quartz's hosted service starts the scheduler (it is registered ahead of it): when no node has checked in for
/// longer than <see cref="RestoreGuardOptions.HoldAfterSilence"/>, it pauses every trigger — also the recovery triggers of
/// executions that were in flight when the backup was taken, and triggers added later — and audits it as <c>restore-guard</c>.
/// </summary>
public sealed partial class RestoreGuardService(
    ISchedulerFactory schedulers,
    NodeInfoStore nodes,
    AuditLog audit,
    IOptions<RestoreGuardOptions> options,
    ILogger<RestoreGuardService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var hold = options.Value.HoldAfterSilence;
        if (hold <= TimeSpan.Zero)
        {
            return;
        }

        var scheduler = await schedulers.GetScheduler(cancellationToken);
        if (await nodes.SilenceAsync(scheduler.SchedulerName, cancellationToken) is not { } silence || silence <= hold)
        {
            return;
        }

        var reason = $"restore guard: no node checked in for {silence:d\\.hh\\:mm\\:ss} (Scheduler:Restore:HoldAfterSilence {hold}); " +
                     "resume with `scheduler resume --all` once this database is the one that should fire";
        await scheduler.PauseAllWith(new PauseDetails { Reason = reason[..Math.Min(reason.Length, 250)], RequestedBy = "restore-guard" }, cancellationToken);
        await audit.AppendAsync(
            new AuditEntry("restore-guard", "system", "pause-all", OperatorActions.AllTarget, reason, null, $"node:{scheduler.SchedulerInstanceId}",
                scheduler.SchedulerInstanceId, "ok"),
            cancellationToken);
        LogHeld(logger, silence, hold);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Every trigger is paused: no node checked in for {Silence} (more than Scheduler:Restore:HoldAfterSilence {Hold}), so this database looks restored or the cluster was down. Run `scheduler resume --all` once it is the database that should fire")]
    private static partial void LogHeld(ILogger logger, TimeSpan silence, TimeSpan hold);
}
