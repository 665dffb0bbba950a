using Npgsql;
using Scheduler.Data.Schedules;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cli;

/// <summary><c>scheduler health</c>, the container healthcheck: exit 0 only for a node that is ready (or live, with --live).</summary>
public sealed class HealthCommandTests
{
    private static readonly TimeSpan VerbTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Health_exits_0_only_once_the_node_is_ready_and_names_what_it_waits_for_until_then()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("health_verb");
        // Hold the reconcile lock: the node answers its probes but cannot finish starting.
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await new NpgsqlCommand($"SELECT pg_advisory_lock({ConfigJobStore.ReconcileLockKey})", holder).ExecuteNonQueryAsync();
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var node = SchedulerProcess.Start("health-node", ["run", "--urls", url], NodeEnvironment.For(db, "health-node"));
        var probe = new Dictionary<string, string?>();

        SchedulerProcess? live = null;
        await Poll.UntilAsync(async () =>
        {
            if (live is not null)
            {
                await live.DisposeAsync();
            }

            live = await SchedulerProcess.RunAsync(["health", "--url", url, "--live"], probe, VerbTimeout);
            return live.ExitCode == 0;
        }, TimeSpan.FromSeconds(30), "the starting node to be live");
        await live!.DisposeAsync();

        await using (var notReady = await SchedulerProcess.RunAsync(["health", "--url", url], probe, VerbTimeout))
        {
            Assert.True(notReady.ExitCode == 1, notReady.Describe());
            Assert.Contains("503", notReady.StandardError, StringComparison.Ordinal);
            Assert.Contains("reconcile lock", notReady.StandardError, StringComparison.Ordinal);
        }

        await holder.CloseAsync();
        await Poll.UntilAsync(async () =>
        {
            await using var ready = await SchedulerProcess.RunAsync(["health", "--url", url], probe, VerbTimeout);
            return ready.ExitCode == 0;
        }, TimeSpan.FromSeconds(45), "scheduler health to exit 0 once the node is ready");
        Assert.False(node.HasExited, node.Describe());
    }

    [Fact]
    public async Task Health_exits_1_when_nothing_answers_and_2_for_a_url_that_is_not_http()
    {
        var probe = new Dictionary<string, string?>();
        await using var silent = await SchedulerProcess.RunAsync(["health", "--url", $"http://127.0.0.1:{FreePort.Next()}", "--timeout", "00:00:02"], probe, VerbTimeout);
        Assert.True(silent.ExitCode == 1, silent.Describe());
        Assert.Contains("no answer", silent.StandardError, StringComparison.Ordinal);

        await using var bad = await SchedulerProcess.RunAsync(["health", "--url", "ftp://example.org"], probe, VerbTimeout);
        Assert.True(bad.ExitCode == 2, bad.Describe());
        Assert.Contains("--url 'ftp://example.org'", bad.StandardError, StringComparison.Ordinal);
    }
}
