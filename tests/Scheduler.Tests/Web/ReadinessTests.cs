using System.Net;
using System.Text.Json;
using Npgsql;
using Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary><c>/health/ready</c> is what balancers act on: it must turn 503 for each thing that makes a node unfit.</summary>
public sealed class ReadinessTests : IAsyncLifetime
{
    private TestDatabase db = null!;
    private WebNode node = null!;

    public async Task InitializeAsync()
    {
        db = await TestDatabase.CreateMigratedAsync(nameof(ReadinessTests));
        node = await WebNode.StartAsync(db, "ready-node");
    }

    public async Task DisposeAsync()
    {
        await node.DisposeAsync();
        await db.DisposeAsync();
    }

    [Fact]
    public async Task A_node_in_standby_is_not_ready_and_is_again_once_started()
    {
        var scheduler = await node.SchedulerAsync();
        await ReadyWithinAsync(TimeSpan.FromSeconds(30), "a started node");

        await scheduler.Standby();
        var standby = await ReadyAsync();
        await scheduler.Start();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, standby.Status);
        Assert.Equal("Unhealthy", standby.Body.GetProperty("checks").GetProperty("quartz-scheduler").GetProperty("status").GetString());
        Assert.Equal("Healthy", standby.Body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        await ReadyWithinAsync(TimeSpan.FromSeconds(30), "the node started again after standby");
    }

    [Fact]
    public async Task A_node_whose_cluster_check_in_stalls_is_not_ready_and_is_again_once_it_checks_in()
    {
        await ReadyWithinAsync(TimeSpan.FromSeconds(30), "a started node");

        JsonElement stalled;
        await using (var connection = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // Holding the node's own row makes its check-in UPDATE wait, as a wedged check-in loop would: the scheduler still
            // runs and the store still answers reads, which is exactly what only the check-in reading catches.
            await using (var hold = new NpgsqlCommand(
                "SELECT 1 FROM qrtz_scheduler_state WHERE instance_name = 'ready-node' FOR UPDATE", connection, transaction))
            {
                Assert.Equal(1, await hold.ExecuteScalarAsync());
            }

            stalled = await NotReadyWithinAsync(TimeSpan.FromSeconds(30), "a node whose check-in cannot land");
            Assert.Equal(SchedulerStatus.Running, (await node.SchedulerAsync()).Status);
            await transaction.RollbackAsync();
        }

        Assert.Equal("Degraded", stalled.GetProperty("checks").GetProperty("quartz-scheduler").GetProperty("status").GetString());
        Assert.Equal("Healthy", stalled.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        await ReadyWithinAsync(TimeSpan.FromSeconds(30), "the node checking in again");
    }

    [Fact]
    public async Task A_schema_behind_the_binary_is_not_ready_and_says_so()
    {
        await db.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 9");

        var behind = await ReadyAsync();
        var live = await node.Client().GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, behind.Status);
        Assert.Contains("0009_operator_audit.sql", behind.Body.GetProperty("checks").GetProperty("database").GetProperty("description").GetString(),
            StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    /// <summary>Polls until ready; a probe that never turns 200 fails with the last body, which names the check that said no.</summary>
    private async Task ReadyWithinAsync(TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var (status, body) = await ReadyAsync();
            if (status == HttpStatusCode.OK)
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"/health/ready stayed {(int)status} for {what} after {timeout.TotalSeconds:0} s: {body}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Polls until /health/ready answers 503 and returns that body.</summary>
    private async Task<JsonElement> NotReadyWithinAsync(TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var (status, body) = await ReadyAsync();
            if (status == HttpStatusCode.ServiceUnavailable)
            {
                return body;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                Assert.Fail($"/health/ready stayed {(int)status} for {what} after {timeout.TotalSeconds:0} s: {body}");
            }

            await Task.Delay(200);
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ReadyAsync()
    {
        using var client = node.Client();
        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
