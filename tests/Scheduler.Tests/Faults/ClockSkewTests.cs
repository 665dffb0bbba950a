using System.Net;
using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Faults;

/// <summary>
/// Nodes whose wall clock is off (libfaketime): a node past Scheduler:ClockGuard:MaxOffset stops acquiring and is not
/// ready until its clock is back; one under the limit runs on PostgreSQL's clock. Whatever the skew, no fire time is
/// missed or run twice, none starts early (the ledger's claim time is PostgreSQL's clock), and no healthy node is failed out.
/// </summary>
public sealed class ClockSkewTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Window = ScenarioWindow.Or(TimeSpan.FromSeconds(8));
    private static readonly (string, string)[] Settings =
    [
        ("Quartz__JobStore__Clustering__CheckinInterval", "00:00:01"),
        ("Quartz__JobStore__Clustering__CheckinMisfireThreshold", "00:00:03"),
        ("Scheduler__ClockGuard__MaxOffset", "00:00:01"),
    ];

    [Fact]
    public async Task A_node_four_seconds_ahead_stops_acquiring_is_not_ready_fires_nothing_early_and_resumes_when_its_clock_is_back()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("clock_ahead");
        using var clock = new SkewedClock(TimeSpan.FromSeconds(4));
        var triggers = ProbeNodes.Triggers(5);
        var nodes = new List<SchedulerProcess>
        {
            ProbeNodes.Start(db, "node-1", triggers.Count, Settings),
            ProbeNodes.Start(db, "node-ahead", triggers.Count, [.. Settings, .. clock.Environment]),
        };
        try
        {
            var skewed = nodes[1];
            var notReady = await NodeHealth.UntilAsync(skewed, r => r.Check("clock") == "Unhealthy", Timeout, "not ready on its clock");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);

            var (audit, early) = await AuditWindowAsync(db, triggers);
            var byAhead = await RunsByAsync(db, "node-ahead", DateTimeOffset.UtcNow - Window, DateTimeOffset.UtcNow);
            output.WriteLine($"one of 2 nodes 4 s ahead, 5 triggers/s, {Window.TotalSeconds:0} s: {audit}; claims before their time: {early}; runs on the skewed node: {byAhead}");
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
            Assert.Equal(0L, early);
            Assert.Equal(0L, byAhead);

            clock.Set(TimeSpan.Zero);
            var fixedAt = DateTimeOffset.UtcNow;
            await NodeHealth.UntilAsync(skewed, r => r.IsReady, Timeout, "ready again once its clock is back");
            // Under light load the node that fired last acquires the next round too: stop it, so the resumed node must fire.
            nodes[0].Terminate();
            await Poll.UntilAsync(async () => await RunsByAsync(db, "node-ahead", fixedAt, DateTimeOffset.UtcNow.AddSeconds(5)) > 0,
                Timeout, "the node to fire again once its clock is back");
            output.WriteLine($"clock fixed to firing again: {(DateTimeOffset.UtcNow - fixedAt).TotalSeconds:0.0} s");
            await StopAndAssertCleanAsync(nodes);
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes);
        }
    }

    [Fact]
    public async Task A_node_behind_stands_by_while_a_node_slightly_ahead_fires_everything_on_the_database_clock_none_early()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("clock_behind");
        using var behind = new SkewedClock(TimeSpan.FromSeconds(-4));
        using var slightlyAhead = new SkewedClock(TimeSpan.FromMilliseconds(700));
        var triggers = ProbeNodes.Triggers(5);
        var nodes = new List<SchedulerProcess>
        {
            ProbeNodes.Start(db, "node-behind", triggers.Count, [.. Settings, .. behind.Environment]),
            ProbeNodes.Start(db, "node-ahead", triggers.Count, [.. Settings, .. slightlyAhead.Environment]),
        };
        try
        {
            await NodeHealth.UntilAsync(nodes[0], r => r.Check("clock") == "Unhealthy" && !r.IsReady, Timeout, "not ready on its clock");
            await NodeHealth.UntilAsync(nodes[1], r => r.IsReady, Timeout, "ready under the limit");

            var (audit, early) = await AuditWindowAsync(db, triggers);
            var to = DateTimeOffset.UtcNow;
            var (byBehind, byAhead) = (await RunsByAsync(db, "node-behind", to - Window, to), await RunsByAsync(db, "node-ahead", to - Window, to));
            output.WriteLine($"2 nodes, one 4 s behind, one 0.7 s ahead, 5 triggers/s, {Window.TotalSeconds:0} s: {audit}; claims before their time: {early}; runs: behind {byBehind}, 0.7 s ahead {byAhead}");
            Assert.True(audit is { Missing: 0, Duplicated: 0 }, audit.ToString());
            Assert.Equal(0L, early);
            // Only two nodes and nothing missed: the node 0.7 s ahead, under the limit, fired every one, on time.
            Assert.Equal(0L, byBehind);
            await StopAndAssertCleanAsync(nodes);
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes);
        }
    }

    /// <summary>Audits a window of <see cref="Window"/> from now, and counts claims made (on PostgreSQL's clock) over 5 ms before their fire time.</summary>
    private static async Task<(OccurrenceAudit Audit, long Early)> AuditWindowAsync(TestDatabase db, IReadOnlyList<string> triggers)
    {
        var from = DateTimeOffset.UtcNow.AddSeconds(1);
        await Task.Delay(Window);
        var to = DateTimeOffset.UtcNow.AddSeconds(-2);
        var audit = await ProbeNodes.SettledAuditAsync(db, triggers, from, to);
        var early = await db.ScalarAsync<long>(
            "SELECT count(*) FROM scheduler_occurrences WHERE claimed_at < scheduled_fire_time - interval '5 milliseconds'");
        return (audit, early);
    }

    private static async Task StopAndAssertCleanAsync(IReadOnlyList<SchedulerProcess> nodes)
    {
        foreach (var node in nodes.Where(n => !n.HasExited))
        {
            node.Terminate();
        }

        foreach (var node in nodes)
        {
            await node.WaitForExitAsync(Timeout);
            Assert.True(node.ExitCode == 0, node.Describe());
        }
    }

    private static Task<long> RunsByAsync(TestDatabase db, string node, DateTimeOffset from, DateTimeOffset to) => db.ScalarAsync<long>(
        "SELECT count(*) FROM scheduler_heartbeat WHERE instance_id = @n AND scheduled_fire_time BETWEEN @from AND @to",
        ("n", node), ("from", from.UtcDateTime), ("to", to.UtcDateTime));
}
