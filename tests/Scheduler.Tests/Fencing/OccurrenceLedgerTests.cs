using Scheduler.Data.Ledger;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Fencing;

/// <summary>The ledger's claim rules against real PostgreSQL, including two claimants racing.</summary>
public sealed class OccurrenceLedgerTests
{
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(7.5);
    private static readonly LedgerKey Key = new("scheduler", "config", "job", "config", "job", new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task A_completed_occurrence_is_not_claimed_again_and_the_duplicate_is_recorded()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("ledger_completed");
        var ledger = new OccurrenceLedger(db.DataSource);
        var (first, _) = await ledger.ClaimAsync(Key, "a", "f1", takeOver: false, Threshold, default);
        Assert.True(await ledger.FinishAsync(first!, succeeded: true, default));

        var (second, reason) = await ledger.ClaimAsync(Key, "b", "f2", takeOver: true, Threshold, default);
        await ledger.RecordDuplicateAsync(Key, "b", "f2", reason!, default);

        Assert.Null(second);
        Assert.Equal((DuplicateReason.AlreadyCompleted, "already completed by a"), (reason!.Reason, reason.Text));
        Assert.Equal("already completed by a", await db.ScalarAsync<string>("SELECT reason FROM scheduler_suppressed_duplicates"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT duplicates_suppressed FROM scheduler_occurrences"));
        Assert.Equal("b", await db.ScalarAsync<string>("SELECT node FROM scheduler_suppressed_duplicates"));
    }

    [Fact]
    public async Task An_open_claim_of_a_live_node_is_not_taken_but_a_silent_nodes_is()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("ledger_alive");
        var ledger = new OccurrenceLedger(db.DataSource);
        await CheckInAsync(db, "a", TimeSpan.Zero);
        var (first, _) = await ledger.ClaimAsync(Key, "a", "f1", takeOver: false, Threshold, default);

        var (whileAlive, reason) = await ledger.ClaimAsync(Key, "b", "f2", takeOver: false, Threshold, default);
        await CheckInAsync(db, "a", TimeSpan.FromMinutes(1));
        var (afterSilence, _) = await ledger.ClaimAsync(Key, "b", "f3", takeOver: false, Threshold, default);

        Assert.NotNull(first);
        Assert.Null(whileAlive);
        Assert.Equal((DuplicateReason.HeldByLiveNode, "held by a, which is alive"), (reason!.Reason, reason.Text));
        Assert.NotNull(afterSilence);
        Assert.Equal((true, false), (first!.First, afterSilence!.First)); // the take-over is not a first claim (lateness counts once)
        Assert.False(await ledger.FinishAsync(first!, succeeded: true, default));
        Assert.True(await ledger.FinishAsync(afterSilence!, succeeded: true, default));
        // b re-ran a's attempt (a take-over), so it is still attempt 1: a crash never uses up a retry.
        Assert.Equal(("completed", "b", 1), (await db.ListAsync("SELECT state, claimed_by, attempts FROM scheduler_occurrences",
            r => (r.GetString(0), r.GetString(1), r.GetInt32(2)))).Single());
    }

    [Fact]
    public async Task A_failed_occurrence_may_be_claimed_again()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("ledger_failed");
        var ledger = new OccurrenceLedger(db.DataSource);
        var (first, _) = await ledger.ClaimAsync(Key, "a", "f1", takeOver: false, Threshold, default);
        await ledger.FinishAsync(first!, succeeded: false, default);

        var (retry, _) = await ledger.ClaimAsync(Key, "a", "f2", takeOver: false, Threshold, default);

        Assert.NotNull(retry);
    }

    [Fact]
    public async Task A_takeover_waits_for_a_fenced_transaction_and_then_finds_the_work_done()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("ledger_fenced_race");
        var ledger = new OccurrenceLedger(db.DataSource);
        await db.ExecuteAsync("CREATE TABLE effects (at timestamptz)");
        var (claim, _) = await ledger.ClaimAsync(Key, "a", "f1", takeOver: false, Threshold, default);
        await using var fenced = await ledger.BeginFencedAsync(claim!, default);
        await using (var effect = new Npgsql.NpgsqlCommand("INSERT INTO effects VALUES (now())", fenced.Connection, fenced.Transaction))
        {
            await effect.ExecuteNonQueryAsync();
        }

        var takeover = ledger.ClaimAsync(Key, "b", "f2", takeOver: true, Threshold, default);
        await Task.Delay(300);
        Assert.False(takeover.IsCompleted, "the takeover must wait for the fenced transaction's row lock");
        await fenced.CommitAsync(default);
        var (taken, reason) = await takeover;

        Assert.Null(taken);
        Assert.Equal((DuplicateReason.AlreadyCompleted, "already completed by a"), (reason!.Reason, reason.Text));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM effects"));
    }

    [Fact]
    public async Task A_stalled_claimant_cannot_commit_after_a_takeover_and_its_effects_roll_back()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("ledger_stalled");
        var ledger = new OccurrenceLedger(db.DataSource);
        await db.ExecuteAsync("CREATE TABLE effects (node text)");
        var (stalled, _) = await ledger.ClaimAsync(Key, "a", "f1", takeOver: false, Threshold, default);
        var (recovered, _) = await ledger.ClaimAsync(Key, "b", "f2", takeOver: true, Threshold, default);
        await using (var b = await ledger.BeginFencedAsync(recovered!, default))
        {
            await using var effect = new Npgsql.NpgsqlCommand("INSERT INTO effects VALUES ('b')", b.Connection, b.Transaction);
            await effect.ExecuteNonQueryAsync();
            await b.CommitAsync(default);
        }

        await Assert.ThrowsAsync<OccurrenceLostException>(() => ledger.BeginFencedAsync(stalled!, default));

        Assert.Equal(["b"], await db.ListAsync("SELECT node FROM effects", r => r.GetString(0)));
        Assert.False(await ledger.FinishAsync(stalled!, succeeded: true, default));
    }

    [Fact]
    public async Task Pruning_removes_old_finished_occurrences_and_keeps_open_claims_and_recent_ones()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("ledger_prune");
        var ledger = new OccurrenceLedger(db.DataSource);
        foreach (var (minute, node) in new[] { (0, "old-done"), (1, "old-open"), (2, "new-done") })
        {
            var (claim, _) = await ledger.ClaimAsync(Key with { ScheduledFireTime = Key.ScheduledFireTime.AddMinutes(minute) }, node, "f", false, Threshold, default);
            if (node.EndsWith("done", StringComparison.Ordinal))
            {
                await ledger.FinishAsync(claim!, succeeded: true, default);
            }
        }

        await db.ExecuteAsync("UPDATE scheduler_occurrences SET claimed_at = now() - interval '20 days' WHERE claimed_by LIKE 'old-%'");

        var deleted = await ledger.PruneAsync(TimeSpan.FromDays(14), default);

        Assert.Equal(1, deleted);
        Assert.Equal(["new-done", "old-open"], await db.ListAsync("SELECT claimed_by FROM scheduler_occurrences ORDER BY 1", r => r.GetString(0)));
    }

    private static Task CheckInAsync(TestDatabase db, string node, TimeSpan ago) => db.ExecuteAsync(
        $"""
        INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval, quartz_version)
        VALUES ('scheduler', '{node}', (extract(epoch FROM now() - interval '{ago.TotalSeconds} seconds') * 10000000)::bigint + 621355968000000000, 5000, '4.7.3')
        ON CONFLICT (sched_name, instance_name) DO UPDATE SET last_checkin_time = excluded.last_checkin_time
        """);
}
