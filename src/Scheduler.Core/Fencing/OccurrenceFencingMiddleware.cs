using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Core.Telemetry;
using Scheduler.Data.Ledger;

namespace Scheduler.Core.Fencing;

/// <summary>
/// Claims each occurrence in the ledger before the job body runs, and records how it ended. A second claim of the same
/// occurrence (a stalled node waking up, a recovery re-fire of completed work) does not run: it is logged, counted and
/// recorded in <c>scheduler_suppressed_duplicates</c>, and the history row's result says so.
/// </summary>
public sealed partial class OccurrenceFencingMiddleware(
    OccurrenceLedger ledger,
    IOptions<FencingOptions> options,
    IConfiguration configuration,
    SchedulerMetrics metrics,
    ILogger<OccurrenceFencingMiddleware> logger) : IJobExecutionMiddleware
{
    /// <summary>How long past its check-in interval a claimant may be silent before its open claim may be taken: Quartz's own threshold.</summary>
    private readonly TimeSpan failedAfter =
        configuration.GetValue<TimeSpan?>("Quartz:JobStore:Clustering:CheckinMisfireThreshold") ?? TimeSpan.FromSeconds(7.5);

    public async ValueTask Invoke(IJobExecutionContext context, JobExecutionDelegate next, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            await next(context, cancellationToken);
            return;
        }

        var key = OccurrenceKey.For(context);
        var ledgerKey = new LedgerKey(key.SchedulerName, key.Job.Group, key.Job.Name, key.Trigger.Group, key.Trigger.Name, key.ScheduledFireTime);
        var node = context.Scheduler.SchedulerInstanceId;
        var (claim, reason) = await ledger.ClaimAsync(
            ledgerKey, node, context.FireInstanceId, context.Recovering, failedAfter, cancellationToken);
        if (claim is null)
        {
            await SuppressAsync(context, ledgerKey, reason ?? "duplicate", cancellationToken);
            return;
        }

        var occurrence = new FencedOccurrence(key, claim, ledger);
        FencedOccurrence.Current = occurrence;
        var succeeded = false;
        try
        {
            await next(context, cancellationToken);
            succeeded = true;
        }
        catch (OccurrenceLostException)
        {
            // Our claim was taken over (this node stalled past the threshold): the fenced effects were rolled back.
            await SuppressAsync(context, ledgerKey, "taken over by another node while this one stalled", cancellationToken);
            return;
        }
        finally
        {
            FencedOccurrence.Current = null;
            if (!occurrence.CompletedInTransaction && !await ledger.FinishAsync(claim, succeeded, CancellationToken.None))
            {
                LogLateCompletion(logger, key.Job, key.ScheduledFireTime, node);
            }
        }
    }

    private async Task SuppressAsync(IJobExecutionContext context, LedgerKey key, string reason, CancellationToken cancellationToken)
    {
        var job = context.JobDetail.Key.ToString();
        await ledger.RecordDuplicateAsync(key, context.Scheduler.SchedulerInstanceId, context.FireInstanceId, reason, cancellationToken);
        metrics.DuplicateSuppressed(job,
            reason.StartsWith("already completed", StringComparison.Ordinal) ? "completed"
            : reason.StartsWith("taken over", StringComparison.Ordinal) ? "taken_over"
            : "held");
        LogSuppressed(logger, context.JobDetail.Key, key.ScheduledFireTime, reason);
        context.Result = JobRunReport.Skipped($"duplicate suppressed: occurrence {reason}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suppressed a duplicate execution of {JobKey} for {ScheduledFireTime:o}: occurrence {Reason}")]
    private static partial void LogSuppressed(ILogger logger, JobKey jobKey, DateTimeOffset scheduledFireTime, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{JobKey} for {ScheduledFireTime:o} finished on {Node} after its claim was taken over: effects outside the fenced transaction may have happened twice")]
    private static partial void LogLateCompletion(ILogger logger, JobKey jobKey, DateTimeOffset scheduledFireTime, string node);
}
