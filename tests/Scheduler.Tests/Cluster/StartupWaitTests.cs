using System.Net;
using Npgsql;
using Scheduler.Data.Schedules;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cluster;

/// <summary>A node that cannot start yet answers its probes and names what it waits for; its sessions carry its instance id.</summary>
public sealed class StartupWaitTests
{
    [Fact]
    public async Task A_node_waiting_for_the_reconcile_lock_is_live_not_ready_names_the_holder_and_starts_once_it_is_released()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("startup_wait");
        var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "dba-maintenance", Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({ConfigJobStore.ReconcileLockKey})", holder))
        {
            await take.ExecuteNonQueryAsync();
        }

        var port = FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await using var node = SchedulerProcess.Start("waiting-node", ["run", "--urls", $"http://127.0.0.1:{port}"], NodeEnvironment.For(db, "waiting-node"));

        string readyBody = "";
        await Poll.UntilAsync(async () =>
        {
            var (live, _) = await GetAsync(http, "/health/live");
            (var ready, readyBody) = await GetAsync(http, "/health/ready");
            return live == HttpStatusCode.OK && ready == HttpStatusCode.ServiceUnavailable && readyBody.Contains("dba-maintenance", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the waiting node to answer live 200 and ready 503 naming the lock's holder");
        Assert.Contains("reconcile lock", readyBody, StringComparison.Ordinal);
        Assert.False(node.HasExited, node.Describe());

        await holder.DisposeAsync();

        await Poll.UntilAsync(async () => (await GetAsync(http, "/health/ready")).Status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(45), "the node to start and be ready once the lock is released");
        var names = await db.ListAsync(
            $"SELECT DISTINCT application_name FROM pg_stat_activity WHERE datname = '{db.Name}' AND application_name <> ''", r => r.GetString(0));
        Assert.Equal(["waiting-node"], names);
    }

    [Fact]
    public async Task A_node_waiting_to_start_stops_cleanly_on_sigterm()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("startup_sigterm");
        await using var holder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await holder.OpenAsync();
        await new NpgsqlCommand($"SELECT pg_advisory_lock({ConfigJobStore.ReconcileLockKey})", holder).ExecuteNonQueryAsync();
        var port = FreePort.Next();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await using var node = SchedulerProcess.Start("waiting-node", ["run", "--urls", $"http://127.0.0.1:{port}"], NodeEnvironment.For(db, "sigterm-node"));
        await Poll.UntilAsync(async () => (await GetAsync(http, "/health/ready")).Body.Contains("reconcile lock", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), "the node to wait for the reconcile lock");

        node.Terminate();
        await node.WaitForExitAsync(TimeSpan.FromSeconds(20));

        Assert.True(node.ExitCode == 0, node.Describe());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_scheduler_state"));
    }

    private static async Task<(HttpStatusCode? Status, string Body)> GetAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException)
        {
            return (null, "");
        }
    }
}
