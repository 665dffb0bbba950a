using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Scheduler.Data;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Security;

/// <summary>
/// Finding 7 of the security review: one viewer key with 200 concurrent requests took a node to 90 PostgreSQL backends
/// and answered 500 "too many clients". The HTTP surface must shed load (503) within a bounded pool, and firing must go on.
/// </summary>
public sealed class HttpSurfaceLoadTests
{
    [Fact]
    public async Task Two_hundred_concurrent_reads_stay_within_the_pool_are_shed_with_503_never_500_and_firing_goes_on()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_load");
        await db.ExecuteAsync("CREATE TABLE ticks (at timestamptz PRIMARY KEY)");
        await using var node = await WebNode.StartAsync(db, "load-node", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:tick:Type"] = "sql",
            ["Scheduler:Jobs:tick:Cron"] = "* * * * * ?",
            ["Scheduler:Jobs:tick:Sql"] = "INSERT INTO ticks VALUES (@scheduled_fire_time)",
        });
        await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM ticks") >= 2, TimeSpan.FromSeconds(20), "firing to start");
        // Rows to read: each request serialises up to 500 executions, as the review's requests did.
        await db.ExecuteAsync(
            """
            INSERT INTO qrtz_execution_history (sched_name, entry_id, instance_name, job_name, job_group, trigger_name, trigger_group,
                                                fired_time, run_time, succeeded, error_message)
            SELECT 'scheduler', 'seed-' || g, 'load-node', 'seed', 'seed', 'seed', 'seed', 638000000000000000::bigint + g * 10000000::bigint, 5, false, repeat('seeded row ', 400)
            FROM generate_series(1, 3000) g
            """);

        var statuses = new ConcurrentBag<HttpStatusCode>();
        var peakBackends = 0L;
        var loadStarted = DateTimeOffset.UtcNow;
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = node.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", WebNode.ViewerKey);
        var until = loadStarted + TimeSpan.FromSeconds(5);
        var clients = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            while (DateTimeOffset.UtcNow < until)
            {
                using var response = await http.GetAsync(new Uri("/api/executions?take=500", UriKind.Relative));
                statuses.Add(response.StatusCode);
            }
        })).ToList();
        var sampler = Task.Run(async () =>
        {
            while (DateTimeOffset.UtcNow < until)
            {
                var backends = await db.ScalarAsync<long>(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'load-node'");
                peakBackends = Math.Max(peakBackends, backends);
                await Task.Delay(50);
            }
        });
        await Task.WhenAll(clients.Append(sampler));

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"answered {(int)s}"));
        Assert.InRange(peakBackends, 1, ConnectionDefaults.PoolSize(20, 8));
        // Every second of the load fired: at most the second in progress at either end is missing.
        var fired = await db.ScalarAsync<long>("SELECT count(*) FROM ticks WHERE at >= @from AND at < @to",
            ("from", loadStarted.AddSeconds(1)), ("to", until.AddSeconds(-1)));
        Assert.True(fired >= 3, $"{fired} ticks fired during the load");
    }
}
