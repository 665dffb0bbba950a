using Quartz;
using Scheduler.Core.Fencing;
using Scheduler.Data.Ledger;

namespace Scheduler.Core.Retries;

/// <summary>
/// Decides how a failed attempt ends in the ledger: <c>failed</c> when the job has no retry policy, <c>retrying</c> (with
/// when, and which trigger) when the failure is retryable and attempts are left, <c>dead</c> otherwise. An occurrence runs
/// at most 1 + <see cref="RetryPlan.Attempts"/> attempts; <see cref="LedgerClaim.Attempt"/> is the attempt's number (a node taking
/// over a dead node's claim re-runs the same attempt).
/// A run an operator interrupted is not retried (it becomes a dead letter, replayable); one cancelled because its node
/// is stopping is.
/// </summary>
public sealed class RetryDecider(TimeProvider timeProvider)
{
    public LedgerOutcome Decide(IJobDetail job, OccurrenceKey occurrence, LedgerClaim claim, Exception failure, bool interruptedByOperator = false)
    {
        var error = Describe(failure);
        if (RetryPlan.For(job) is not { } plan)
        {
            return new LedgerOutcome(OccurrenceState.Failed, error);
        }

        var verdict = interruptedByOperator
            ? new FailureVerdict(false, "interrupted by an operator")
            : FailureClassifier.Classify(failure, plan);
        if (!verdict.Retryable)
        {
            return new LedgerOutcome(OccurrenceState.Dead, $"{error} (not retried: {verdict.Reason})");
        }

        if (claim.Attempt > plan.Attempts)
        {
            return new LedgerOutcome(OccurrenceState.Dead, $"{error} (attempts spent: {claim.Attempt} of {1 + plan.Attempts})");
        }

        var now = timeProvider.GetUtcNow();
        var wait = plan.WaitBefore(claim.Attempt, Random.Shared.NextDouble());
        var asked = verdict.RetryAfter ?? (verdict.RetryNotBefore - now) ?? TimeSpan.Zero;
        if (asked > wait)
        {
            wait = asked < RetryPlan.LongestWait ? asked : RetryPlan.LongestWait;
        }

        return new LedgerOutcome(OccurrenceState.Retrying, error, now + wait,
            RetryTriggers.KeyFor(occurrence, claim.Attempt).Name);
    }

    private static string Describe(Exception failure) =>
        failure is JobExecutionException { InnerException: { } inner } jee && !jee.Message.Contains(inner.Message, StringComparison.Ordinal)
            ? $"{jee.Message}: {inner.GetType().Name}: {inner.Message}"
            : $"{failure.GetType().Name}: {failure.Message}";
}
