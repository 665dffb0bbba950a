using System.Diagnostics;
using System.Text.Json.Nodes;
using Scheduler.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Scheduler.Tests.Bench;

/// <summary>
/// The benchmark driver's own correctness, at smoke size: every workload completes against a fresh database and the
/// result file carries the keys deployment dashboards read. No performance threshold: speed is what the driver prints.
/// </summary>
public sealed class BenchSmokeTests(ITestOutputHelper output)
{
    private static readonly string[] ContractKeys =
    [
        "burst.executions_per_s", "cron.lateness_ms.p50", "cron.lateness_ms.p99", "cron.duplicates", "cron.misses",
        "failover.seconds", "scale.idle_statements_per_s_per_node", "ceiling.tps",
        "cron.sustained.lateness_ms.p99", "cron.sustained.misses",
    ];

    [Fact]
    public async Task Bench_run_all_smoke_completes_and_writes_every_contract_key()
    {
        await using var db = await TestDatabase.CreateAsync("bench_smoke");
        var outFile = Path.Combine(Path.GetTempPath(), $"bench-smoke-{Guid.NewGuid():N}.json");
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestEnvironment.RepositoryRoot };
        foreach (var arg in new[] { "bench/run.sh", "all", "--smoke", "--connection", db.ConnectionString })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["BENCH_OUT"] = outFile;
        using var run = Process.Start(info)!;
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await run.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);

        Assert.True(run.ExitCode == 0, $"bench/run.sh exited {run.ExitCode}:\n{await stderr}");
        var results = JsonNode.Parse(await File.ReadAllTextAsync(outFile))!;
        File.Delete(outFile);
        foreach (var key in ContractKeys)
        {
            var node = key.Split('.').Aggregate((JsonNode?)results, (n, part) => n?[part]);
            Assert.True(node is JsonValue, $"{key} is missing from the result file");
        }

        Assert.Equal(0, (int)results["cron"]!["duplicates"]!);
        Assert.Equal(0, (int)results["cron"]!["sustained"]!["duplicates"]!);
        Assert.True((double)results["burst"]!["executions_per_s"]! > 0);
    }
}
