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
        "burst.statements_per_execution", "burst.cpu_ms_per_execution.nodes", "cron.statements_per_execution",
        "cron.cpu_ms_per_execution.nodes", "cron.cpu_ms_per_execution.postgres",
    ];

    /// <summary>Under herd.&lt;size&gt; for each of its two sizes (1000 and 10000; at smoke size 20 and 50).</summary>
    private static readonly string[] HerdKeys =
    [
        "all_started_s", "lateness_ms.p50", "lateness_ms.p99", "lateness_ms.max", "duplicates", "misses",
        "statements_per_execution", "cpu_ms_per_execution.nodes", "cpu_ms_per_execution.postgres",
    ];

    private static readonly string[] SoakKeys =
    [
        "deadlocks", "lateness_ms.p50", "lateness_ms.p99", "lateness_ms.max", "rss_mib.start", "rss_mib.end", "duplicates", "misses",
        "statements_per_execution", "cpu_ms_per_execution.nodes",
    ];

    [Fact]
    public async Task Bench_run_all_smoke_completes_and_writes_every_contract_key()
    {
        await using var db = await TestDatabase.CreateAsync("bench_smoke");
        var outFile = Path.Combine(Path.GetTempPath(), $"bench-smoke-{Guid.NewGuid():N}.json");
        var (exitCode, stderr) = await RunBenchAsync(["all", "--smoke", "--connection", db.ConnectionString], outFile);

        Assert.True(exitCode == 0, $"bench/run.sh exited {exitCode}:\n{stderr}");
        var results = JsonNode.Parse(await File.ReadAllTextAsync(outFile))!;
        File.Delete(outFile);
        AssertKeys(results, ContractKeys);
        AssertKeys(results, HerdKeys.SelectMany(k => new[] { $"herd.20.{k}", $"herd.50.{k}" }));
        Assert.Equal(0, (int)results["herd"]!["50"]!["duplicates"]!);
        Assert.Equal(0, (int)results["herd"]!["50"]!["misses"]!);
        Assert.True((double)results["burst"]!["cpu_ms_per_execution"]!["nodes"]! > 0);
        Assert.True((double)results["cron"]!["statements_per_execution"]! > 0);

        Assert.Equal(0, (int)results["cron"]!["duplicates"]!);
        Assert.Equal(0, (int)results["cron"]!["sustained"]!["duplicates"]!);
        Assert.True((double)results["burst"]!["executions_per_s"]! > 0);
    }

    [Fact]
    public async Task Bench_soak_smoke_reports_deadlocks_lateness_and_rss_over_time()
    {
        await using var db = await TestDatabase.CreateAsync("bench_soak");
        var outFile = Path.Combine(Path.GetTempPath(), $"bench-soak-{Guid.NewGuid():N}.json");
        var (exitCode, stderr) = await RunBenchAsync(["soak", "--smoke", "--minutes", "1", "--connection", db.ConnectionString], outFile);

        Assert.True(exitCode == 0, $"bench/run.sh soak exited {exitCode}:\n{stderr}");
        var results = JsonNode.Parse(await File.ReadAllTextAsync(outFile))!;
        File.Delete(outFile);
        AssertKeys(results, SoakKeys.Select(k => $"soak.{k}"));
        Assert.Equal(1, (int)results["soak"]!["minutes"]!);
        Assert.True(((JsonArray)results["soak"]!["rss_mib"]!["samples"]!).Count >= 5, "an RSS sample every 10 s for a minute");
        Assert.Equal(0, (int)results["soak"]!["duplicates"]!);
    }

    private async Task<(int ExitCode, string Stderr)> RunBenchAsync(IEnumerable<string> args, string outFile)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestEnvironment.RepositoryRoot };
        info.ArgumentList.Add("bench/run.sh");
        foreach (var arg in args)
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
        return (run.ExitCode, await stderr);
    }

    private static void AssertKeys(JsonNode results, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            var node = key.Split('.').Aggregate((JsonNode?)results, (n, part) => n?[part]);
            Assert.True(node is JsonValue, $"{key} is missing from the result file");
        }
    }
}
