using System.Globalization;
using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Retries;

/// <summary>
/// Service-owned retries on three real nodes: <c>http</c> jobs call a <see cref="FlakyEndpoint"/> that fails a known number
/// of times per occurrence, and the test audits every call it received against every cron tick of the window: no tick
/// missing, each occurrence called exactly 1 + its retries times, each retry at least its delay after the previous call,
/// spent and non-retryable occurrences dead. Then the same with one node killed with -9 in the middle.
/// </summary>
public sealed class RetryClusterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private static readonly string[] NodeIds = ["node-1", "node-2", "node-3"];

    [Fact]
    public async Task Retried_cron_occurrences_run_every_tick_exactly_one_plus_their_retries_times_and_spent_ones_are_dead()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("retry_cluster");
        using var server = new FlakyEndpoint();
        var nodes = await StartAsync(db, server, hold: 0);
        try
        {
            var from = DateTimeOffset.UtcNow.AddSeconds(1);
            await Task.Delay(TimeSpan.FromSeconds(15));
            var to = DateTimeOffset.UtcNow.AddSeconds(-1);
            var audit = await SettledAsync(db, server, from, to);
            output.WriteLine(audit.ToString());

            Assert.Equal(0, audit.FlakyMissing);
            Assert.All(audit.Flaky, calls => Assert.Equal(3, calls.Count));
            Assert.All(audit.Flaky.Concat(audit.Doomed), calls => Assert.All(calls.Zip(calls.Skip(1)),
                pair => Assert.True(pair.Second.ReceivedAt - pair.First.ReceivedAt >= Delay, $"retry {pair.Second} came less than {Delay} after {pair.First}")));
            Assert.NotEmpty(audit.Doomed);
            Assert.All(audit.Doomed, calls => Assert.Equal(3, calls.Count));
            Assert.All(await db.ListAsync(
                "SELECT state, attempts FROM scheduler_occurrences WHERE job_name = 'doomed' AND state <> 'retrying' AND state <> 'claimed'",
                r => (r.GetString(0), r.GetInt32(1))), row => Assert.Equal(("dead", 3), row));
            Assert.NotEmpty(audit.NotFound);
            Assert.All(audit.NotFound, calls => Assert.Single(calls));
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_occurrences WHERE job_name = 'notfound' AND state NOT IN ('dead', 'claimed')"));
            Assert.NotEmpty(audit.Throttled);
            Assert.All(audit.Throttled.Where(c => c.Count > 1), calls =>
                Assert.True(calls[1].ReceivedAt - calls[0].ReceivedAt >= TimeSpan.FromSeconds(2.95), $"Retry-After 3 not honoured: {calls[0]} then {calls[1]}"));
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes);
        }
    }

    [Fact]
    public async Task With_a_node_killed_with_minus_9_no_tick_and_no_retry_is_lost_and_only_attempts_in_flight_repeat()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("retry_cluster_kill");
        using var server = new FlakyEndpoint();
        var nodes = await StartAsync(db, server, hold: 600);
        try
        {
            var from = DateTimeOffset.UtcNow.AddSeconds(1);
            await Poll.UntilAsync(() => Task.FromResult(server.Open > 0 && server.Requests.Count > 6), Timeout, "calls in flight");
            nodes[0].Signal(SchedulerProcess.SigKill);
            var inFlight = server.Open;
            await Task.Delay(TimeSpan.FromSeconds(15));
            var to = DateTimeOffset.UtcNow.AddSeconds(-1);
            var audit = await SettledAsync(db, server, from, to);
            // A call in flight at the kill runs again on the node that takes the occurrence over, as the same attempt.
            var repeated = audit.Flaky.Sum(c => c.Count - 3) + audit.Doomed.Sum(c => Math.Max(0, c.Count - 3));
            output.WriteLine($"{audit}; calls in flight at the kill: {inFlight}; calls repeated: {repeated}");

            Assert.Equal(0, audit.FlakyMissing);
            Assert.All(audit.Flaky, calls => Assert.InRange(calls.Count, 3, 4));
            Assert.InRange(repeated, 0, inFlight);
            Assert.Equal(0L, await db.ScalarAsync<long>(
                "SELECT count(*) FROM scheduler_occurrences WHERE job_name = 'doomed' AND state NOT IN ('dead', 'retrying', 'claimed')"));
            Assert.All(await db.ListAsync("SELECT attempts FROM scheduler_occurrences WHERE job_name = 'doomed' AND state = 'dead'", r => r.GetInt32(0)),
                attempts => Assert.Equal(3, attempts));
            Assert.All(audit.Doomed, calls => Assert.InRange(calls.Count, 2, 4));
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes.Skip(1));
            await nodes[0].DisposeAsync();
        }
    }

    private static async Task<List<SchedulerProcess>> StartAsync(TestDatabase db, FlakyEndpoint server, int hold)
    {
        var query = hold > 0 ? $"?hold={hold}" : "";
        var settings = new List<(string, string)> { ("Scheduler__Jobs__heartbeat__Enabled", "false") };
        void Job(string name, string path, string cron, string attempts, string delay)
        {
            var prefix = $"Scheduler__Jobs__{name}__";
            settings.AddRange([
                (prefix + "Type", "http"), (prefix + "Url", server.Url + path + query), (prefix + "Cron", cron),
                (prefix + "Misfire", "CatchUp"), (prefix + "Retry__Policy", "Fixed"), (prefix + "Retry__Attempts", attempts),
                (prefix + "Retry__Delay", delay)]);
        }

        Job("flaky", "/fail/2", "0/3 * * * * ?", "2", "00:00:01");
        Job("doomed", "/status/503", "1/4 * * * * ?", "2", "00:00:01");
        Job("notfound", "/status/404", "2/5 * * * * ?", "2", "00:00:01");
        Job("throttled", "/retry-after/3", "0/6 * * * * ?", "3", "00:00:00.200");
        var nodes = NodeIds.Select(id => SchedulerProcess.Start(id, ["run", "--urls", "http://127.0.0.1:0"],
            NodeEnvironment.For(db, id, [.. settings]))).ToList();
        await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state") == 3, Timeout, "three nodes to check in");
        return nodes;
    }

    /// <summary>Waits until every flaky tick of the window has completed and no doomed one is still retrying, then audits.</summary>
    private static async Task<RetryAudit> SettledAsync(TestDatabase db, FlakyEndpoint server, DateTimeOffset from, DateTimeOffset to)
    {
        var ticks = Ticks(from, to, 3, 0);
        try
        {
            await Poll.UntilAsync(async () =>
                await db.ScalarAsync<long>(
                    "SELECT count(*) FROM scheduler_occurrences WHERE job_name = 'flaky' AND state = 'completed' AND scheduled_fire_time BETWEEN @f AND @t",
                    ("f", from.UtcDateTime), ("t", to.UtcDateTime)) >= ticks.Count
                && await db.ScalarAsync<long>(
                    "SELECT count(*) FROM scheduler_occurrences WHERE job_name = 'doomed' AND state IN ('retrying', 'claimed') AND scheduled_fire_time BETWEEN @f AND @t",
                    ("f", from.UtcDateTime), ("t", to.UtcDateTime)) == 0,
                Timeout, "the window's occurrences to finish");
        }
        catch (TimeoutException)
        {
            // Audit what there is: the assertions say what is missing.
        }

        Dictionary<string, List<FlakyEndpoint.Request>> InWindow(string path) =>
            server.ByKey(path).Where(p => KeyTime(p.Key) is { } t && t >= from && t <= to).ToDictionary();
        var flaky = InWindow("/fail/2");
        return new RetryAudit(
            ticks.Count(t => !flaky.Keys.Any(k => k.EndsWith(Iso(t), StringComparison.Ordinal))),
            ticks.Count, [.. flaky.Values], [.. InWindow("/status/503").Values], [.. InWindow("/status/404").Values],
            [.. InWindow("/retry-after/3").Values]);
    }

    private static List<DateTimeOffset> Ticks(DateTimeOffset from, DateTimeOffset to, int every, int offset)
    {
        var first = new DateTimeOffset(from.Year, from.Month, from.Day, from.Hour, from.Minute, from.Second, TimeSpan.Zero).AddSeconds(1);
        return [.. Enumerable.Range(0, (int)(to - first).TotalSeconds + 1).Select(s => first.AddSeconds(s)).Where(t => t.Second % every == offset)];
    }

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);

    /// <summary>The scheduled fire time an idempotency key ends with.</summary>
    private static DateTimeOffset? KeyTime(string key) =>
        DateTimeOffset.TryParseExact(key[(key.LastIndexOf('/') + 1)..], "yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;

    private sealed record RetryAudit(
        int FlakyMissing, int FlakyTicks, List<List<FlakyEndpoint.Request>> Flaky, List<List<FlakyEndpoint.Request>> Doomed,
        List<List<FlakyEndpoint.Request>> NotFound, List<List<FlakyEndpoint.Request>> Throttled)
    {
        public override string ToString() =>
            $"flaky: {FlakyTicks} ticks, {FlakyMissing} missing, calls per occurrence {Histogram(Flaky)}; doomed {Histogram(Doomed)}; " +
            $"notfound {Histogram(NotFound)}; throttled {Histogram(Throttled)}";

        private static string Histogram(List<List<FlakyEndpoint.Request>> occurrences) =>
            "{" + string.Join(", ", occurrences.GroupBy(c => c.Count).OrderBy(g => g.Key).Select(g => $"{g.Key}×: {g.Count()}")) + "}";
    }
}
