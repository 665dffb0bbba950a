using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Core.Retries;
using Scheduler.Core.Telemetry;
using Scheduler.Data.Ledger;

namespace Scheduler.Core.Fencing;

/// <summary>
/// Claims each occurrence in the ledger before the job body runs, and records how it ended. A second claim of the same
/// occurrence (a stalled node waking up, a recovery re-fire of completed work) does not run: it is logged, counted and
/// recorded in <c>scheduler_suppressed_duplicates</c>, and the history row's result says so. A failed attempt is recorded
/// as <see cref="RetryDecider"/> decides; a retry is recorded in the ledger first and then scheduled, so a node that dies
/// in between leaves it for <see cref="RetryRecoveryService"/>.
/// </summary>
public sealed partial class OccurrenceFencingMiddleware(
    OccurrenceLedger ledger,
    RetryDecider retries,
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
        var (claim, refusal) = await ledger.ClaimAsync(
            ledgerKey, node, context.FireInstanceId, context.Recovering, failedAfter, cancellationToken, OccurrenceKey.RetryOf(context));
        if (claim is null)
        {
            await SuppressAsync(context, ledgerKey, refusal ?? new ClaimRefusal(DuplicateReason.Unknown), cancellationToken);
            return;
        }

        metrics.Claimed(key.Job.ToString(), claim.First, (claim.ClaimedAt ?? key.ScheduledFireTime) - key.ScheduledFireTime);
        var occurrence = new FencedOccurrence(key, claim, ledger);
        FencedOccurrence.Current = occurrence;
        var outcome = new LedgerOutcome(OccurrenceState.Failed);
        try
        {
            await next(context, cancellationToken);
            outcome = LedgerOutcome.Completed;
        }
        catch (OccurrenceLostException)
        {
            // Our claim was taken over (this node stalled past the threshold): the fenced effects were rolled back.
            await SuppressAsync(context, ledgerKey, ClaimRefusal.TakenOver, cancellationToken);
            return;
        }
        catch (Exception e)
        {
            outcome = Decide(context, key, claim, e, cancellationToken);
            throw;
        }
        finally
        {
            FencedOccurrence.Current = null;
            if (!occurrence.CompletedInTransaction)
            {
                await EndAsync(context, key, claim, outcome);
            }
        }
    }

    /// <summary>The retry decision; a policy that cannot be read still records the failure, never hides it.</summary>
    private LedgerOutcome Decide(
        IJobExecutionContext context, OccurrenceKey key, LedgerClaim claim, Exception failure, CancellationToken cancellationToken)
    {
        // Cancelled while the node keeps firing: an operator's interrupt. A stopping node stands by first, and its work is retried.
        var interrupted = failure is OperationCanceledException && cancellationToken.IsCancellationRequested
            && context.Scheduler.Status == SchedulerStatus.Running;
        try
        {
            return retries.Decide(context.JobDetail, key, claim, failure, interrupted);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or NotSupportedException)
        {
            LogPolicyUnreadable(logger, e, key.Job);
            return new LedgerOutcome(OccurrenceState.Failed, failure.Message);
        }
    }

    private async Task EndAsync(IJobExecutionContext context, OccurrenceKey key, LedgerClaim claim, LedgerOutcome outcome)
    {
        if (!await ledger.FinishAsync(claim, outcome, CancellationToken.None))
        {
            LogLateCompletion(logger, key.Job, key.ScheduledFireTime, claim.Node);
            return;
        }

        var job = key.Job.ToString();
        if (outcome is { State: OccurrenceState.Retrying, RetryAt: { } at })
        {
            metrics.RetryScheduled(job);
            LogRetrying(logger, key.Job, key.ScheduledFireTime, claim.Attempt, at);
            try
            {
                await RetryTriggers.ScheduleAsync(context.Scheduler, key, claim.Attempt, at, context.Trigger.Priority, CancellationToken.None);
            }
            catch (SchedulerException e)
            {
                // Recorded in the ledger already: the recovery scan schedules it once it is due.
                LogRetryNotScheduled(logger, e, key.Job, key.ScheduledFireTime);
            }
        }
        else if (outcome.State == OccurrenceState.Dead)
        {
            metrics.DeadLettered(job);
            LogDeadLettered(logger, key.Job, key.ScheduledFireTime, claim.Attempt, outcome.Error ?? "");
        }
    }

    private async Task SuppressAsync(IJobExecutionContext context, LedgerKey key, ClaimRefusal refusal, CancellationToken cancellationToken)
    {
        var job = context.JobDetail.Key.ToString();
        await ledger.RecordDuplicateAsync(key, context.Scheduler.SchedulerInstanceId, context.FireInstanceId, refusal, cancellationToken);
        metrics.DuplicateSuppressed(job, refusal.Reason switch
        {
            DuplicateReason.AlreadyCompleted => "completed",
            DuplicateReason.TakenOver => "taken_over",
            _ => "held",
        });
        LogSuppressed(logger, context.JobDetail.Key, key.ScheduledFireTime, refusal.Text);
        context.Result = JobRunReport.Skipped($"duplicate suppressed: occurrence {refusal.Text}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Suppressed a duplicate execution of {JobKey} for {ScheduledFireTime:o}: occurrence {Reason}")]
    private static partial void LogSuppressed(ILogger logger, JobKey jobKey, DateTimeOffset scheduledFireTime, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{JobKey} for {ScheduledFireTime:o} failed attempt {Attempt}; retrying at {RetryAt:o}")]
    private static partial void LogRetrying(ILogger logger, JobKey jobKey, DateTimeOffset scheduledFireTime, int attempt, DateTimeOffset retryAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Scheduling the retry of {JobKey} for {ScheduledFireTime:o} failed; the retry recovery scan will schedule it")]
    private static partial void LogRetryNotScheduled(ILogger logger, Exception exception, JobKey jobKey, DateTimeOffset scheduledFireTime);

    [LoggerMessage(Level = LogLevel.Error, Message = "The retry policy of {JobKey} cannot be read; the failed occurrence is recorded as failed, not retried")]
    private static partial void LogPolicyUnreadable(ILogger logger, Exception exception, JobKey jobKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "{JobKey} for {ScheduledFireTime:o} is a dead letter after {Attempts} attempts: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, JobKey jobKey, DateTimeOffset scheduledFireTime, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{JobKey} for {ScheduledFireTime:o} finished on {Node} after its claim was taken over: effects outside the fenced transaction may have happened twice")]
    private static partial void LogLateCompletion(ILogger logger, JobKey jobKey, DateTimeOffset scheduledFireTime, string node);
}
