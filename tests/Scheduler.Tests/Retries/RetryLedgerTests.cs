using Scheduler.Data.Ledger;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Retries;

/// <summary>The ledger's retry rules against real PostgreSQL: a retry claims its own attempt once, and a lost one is found.</summary>
public sealed class RetryLedgerTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(7.5);
    private static readonly LedgerKey Key = new("scheduler", "config", "job", "config", "job", new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_retry_claims_only_the_attempt_it_was_scheduled_for_so_a_retry_fired_twice_runs_once()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("ledger_retry");
        var ledger = new OccurrenceLedger(db.DataSource);
        await db.ExecuteAsync(
            """
            INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval, quartz_version)
            VALUES ('scheduler', 'b', (extract(epoch FROM now()) * 10000000)::bigint + 621355968000000000, 5000, '4.7.3')
            """);
        var (first, _) = await ledger.ClaimAsync(Key, "a", "f1", takeOver: false, Threshold, default);
        Assert.True(await ledger.FinishAsync(first!, new LedgerOutcome(OccurrenceState.Retrying, "boom", DateTimeOffset.UtcNow, "r-1"), default));

        var (regular, regularReason) = await ledger.ClaimAsync(Key, "b", "f2", takeOver: false, Threshold, default);
        var (retry, _) = await ledger.ClaimAsync(Key, "b", "f3", takeOver: false, Threshold, default, retry: 1);
        var (again, againReason) = await ledger.ClaimAsync(Key, "c", "f4", takeOver: false, Threshold, default, retry: 1);
        Assert.True(await ledger.FinishAsync(retry!, new LedgerOutcome(OccurrenceState.Dead, "boom again"), default));
        var (stale, _) = await ledger.ClaimAsync(Key, "c", "f5", takeOver: true, Threshold, default, retry: 1);

        Assert.Null(regular);
        Assert.Equal((DuplicateReason.NotThisAttempt, "retrying: not this attempt's to run"), (regularReason!.Reason, regularReason.Text));
        Assert.Equal((1, 2), (first!.Attempt, retry!.Attempt));
        Assert.Null(again);
        Assert.Equal(DuplicateReason.HeldByLiveNode, againReason!.Reason);
        Assert.Contains("alive", againReason.Text, StringComparison.Ordinal);
        Assert.Null(stale);
        Assert.Equal(("dead", 2, "boom again"), (await db.ListAsync("SELECT state, attempts, last_error FROM scheduler_occurrences",
            r => (r.GetString(0), r.GetInt32(1), r.GetString(2)))).Single());
    }

    [Fact]
    public async Task Taking_over_a_dead_nodes_claim_reruns_the_same_attempt_and_the_next_failure_is_counted_once()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("ledger_takeover");
        var ledger = new OccurrenceLedger(db.DataSource);
        var (first, _) = await ledger.ClaimAsync(Key, "a", "f1", takeOver: false, Threshold, default);
        Assert.True(await ledger.FinishAsync(first!, new LedgerOutcome(OccurrenceState.Retrying, "boom", DateTimeOffset.UtcNow, "r-1"), default));
        var (retry, _) = await ledger.ClaimAsync(Key, "a", "f2", takeOver: false, Threshold, default, retry: 1);

        // Node "a" dies while attempt 2 runs; recovery on "b" re-fires it (Quartz's recovering trigger, take-over).
        var (recovered, _) = await ledger.ClaimAsync(Key, "b", "f3", takeOver: true, Threshold, default, retry: 1);
        Assert.True(await ledger.FinishAsync(recovered!, new LedgerOutcome(OccurrenceState.Dead, "boom again"), default));

        Assert.Equal((2, 2), (retry!.Attempt, recovered!.Attempt));
        Assert.Equal((true, false, false), (first!.First, retry.First, recovered.First));
        Assert.Equal(("dead", 2, "b"), (await db.ListAsync("SELECT state, attempts, claimed_by FROM scheduler_occurrences",
            r => (r.GetString(0), r.GetInt32(1), r.GetString(2)))).Single());
    }

    [Fact]
    public async Task A_due_retry_without_its_trigger_is_pending_and_a_dead_occurrence_may_be_replayed()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("ledger_pending");
        var ledger = new OccurrenceLedger(db.DataSource);
        var (first, _) = await ledger.ClaimAsync(Key, "a", "f1", takeOver: false, Threshold, default);
        await ledger.FinishAsync(first!, new LedgerOutcome(OccurrenceState.Retrying, "boom", DateTimeOffset.UtcNow.AddSeconds(-1), "lost-1"), default);
        var later = Key with { ScheduledFireTime = Key.ScheduledFireTime.AddMinutes(1) };
        var (second, _) = await ledger.ClaimAsync(later, "a", "f2", takeOver: false, Threshold, default);
        await ledger.FinishAsync(second!, new LedgerOutcome(OccurrenceState.Retrying, "boom", DateTimeOffset.UtcNow.AddHours(1), "later-1"), default);

        var pending = await ledger.PendingRetriesAsync("scheduler", "scheduler-retries", default);
        await ledger.FinishAsync((await ledger.ClaimAsync(Key, "a", "f3", false, Threshold, default, retry: 1)).Claim!,
            new LedgerOutcome(OccurrenceState.Dead, "spent"), default);
        var (replay, _) = await ledger.ClaimAsync(Key, "a", "f4", takeOver: false, Threshold, default);

        Assert.Equal(("lost-1", 1), (pending.Single().RetryTrigger, pending.Single().Attempt));
        Assert.NotNull(replay);
    }
}
