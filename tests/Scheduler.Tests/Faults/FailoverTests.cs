using Microsoft.Extensions.Logging.Abstractions;
using Scheduler.Data.Migrations;
using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Faults;

/// <summary>
/// Failover to a streaming standby: a primary and an asynchronous standby (pg_basebackup) on this machine, three nodes on a
/// multi-host connection string (<c>Target Session Attributes=primary</c>), the primary killed, the standby promoted.
/// </summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task After_the_primary_dies_and_the_standby_is_promoted_firing_resumes_within_5_s_nothing_runs_twice_and_only_fires_running_at_the_crash_are_missed()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var primaryDir = Path.Combine(TestEnvironment.RepositoryRoot, ".local", $"failover-primary-{suffix}");
        var standbyDir = Path.Combine(TestEnvironment.RepositoryRoot, ".local", $"failover-standby-{suffix}");
        var nodes = new List<SchedulerProcess>();
        try
        {
            var primary = (await TestPostgres.RunAsync("pg-start.sh", "--dir", primaryDir, "--fast")).Trim().Split('\n')[^1];
            await using (var db = TestDatabase.Attach(primary))
            {
                await new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
            }

            var standbyPort = int.Parse((await TestPostgres.RunAsync("pg-standby.sh", "start", "--primary-dir", primaryDir, "--dir", standbyDir)).Trim(),
                System.Globalization.CultureInfo.InvariantCulture);
            var primaryPort = new Npgsql.NpgsqlConnectionStringBuilder(primary).Port;
            var standby = new Npgsql.NpgsqlConnectionStringBuilder(primary) { Port = standbyPort }.ConnectionString;
            // Host Recheck Seconds=1: Npgsql otherwise trusts for 10 s that the promoted standby is still a standby.
            var multiHost = $"Host=127.0.0.1:{primaryPort},127.0.0.1:{standbyPort};Username=postgres;Database=scheduler;" +
                "Target Session Attributes=primary;Host Recheck Seconds=1";
            await using var before = TestDatabase.Attach(primary);
            await using var after = TestDatabase.Attach(standby);
            var triggers = ProbeNodes.Triggers(5);
            foreach (var id in new[] { "node-1", "node-2", "node-3" })
            {
                nodes.Add(ProbeNodes.Start(before, id, triggers.Count,
                    ("ConnectionStrings__Scheduler", multiHost),
                    ("Quartz__JobStore__Clustering__CheckinInterval", "00:00:01"),
                    ("Quartz__JobStore__Clustering__CheckinMisfireThreshold", "00:00:02")));
            }

            await Poll.UntilAsync(async () => await before.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state") == 3, Timeout, "three nodes");
            var from = DateTimeOffset.UtcNow.AddSeconds(1);
            await Task.Delay(TimeSpan.FromSeconds(4));
            var crashedAt = DateTimeOffset.UtcNow;
            await TestPostgres.RunAsync("pg-standby.sh", "crash", "--dir", primaryDir);
            await Task.Delay(TimeSpan.FromSeconds(3));
            await TestPostgres.RunAsync("pg-standby.sh", "promote", "--dir", standbyDir);
            var promotedAt = DateTimeOffset.UtcNow;
            await Poll.UntilAsync(
                async () => await after.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat WHERE started_at > @p", ("p", promotedAt.UtcDateTime)) > 0,
                Timeout, "a fire after the promotion");
            var resumed = await after.ScalarAsync<double>(
                "SELECT extract(epoch FROM min(started_at) - @p) FROM scheduler_heartbeat WHERE started_at > @p", ("p", promotedAt.UtcDateTime));
            await Task.Delay(ScenarioWindow.Or(TimeSpan.FromSeconds(6)));
            var to = DateTimeOffset.UtcNow.AddSeconds(-2);

            var audit = await ProbeNodes.SettledAuditAsync(after, triggers, from, to);
            // A fire whose job was running when the primary died fails with it (its trigger had already moved on, and it
            // was not on a crashed node, so nothing re-fires it): the only fire times allowed to be missing are those.
            var missedOutsideTheCrash = await after.ScalarAsync<long>(
                $"""
                SELECT count(*)
                FROM unnest(ARRAY['{string.Join("','", triggers)}']) AS t(trigger_name),
                     generate_series(date_trunc('second', @from::timestamptz), @to::timestamptz, interval '1 second') AS at
                WHERE NOT EXISTS (SELECT 1 FROM scheduler_heartbeat h WHERE h.trigger_name = t.trigger_name AND h.scheduled_fire_time = at)
                  AND at NOT BETWEEN @crash::timestamptz - interval '2 seconds' AND @crash::timestamptz + interval '1 second'
                """,
                ("from", from.UtcDateTime), ("to", to.UtcDateTime), ("crash", crashedAt.UtcDateTime));
            output.WriteLine($"failover (primary killed, standby promoted 3 s later) under 3 nodes, 5 triggers/s: {audit}; first fire {resumed:0.0} s after the promotion");
            Assert.True(audit is { Duplicated: 0 }, audit.ToString());
            Assert.True(missedOutsideTheCrash == 0, $"{missedOutsideTheCrash} fire time(s) missed that were not running at the crash; {audit}");
            Assert.True(resumed <= 5, $"firing resumed {resumed:0.0} s after the promotion");
            Assert.All(nodes, n => Assert.False(n.HasExited, n.Describe()));
        }
        finally
        {
            await ProbeNodes.StopAllAsync(nodes);
            await TestPostgres.RunAsync("pg-stop.sh", "--dir", standbyDir, "--purge");
            await TestPostgres.RunAsync("pg-stop.sh", "--dir", primaryDir, "--purge");
        }
    }
}
