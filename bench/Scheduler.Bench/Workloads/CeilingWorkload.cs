using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// The database's own ceiling for what one execution writes: pgbench on the same database, each transaction one claim
/// insert into a ledger-like table plus one history-like row, a few clients. No Quartz: the upper bound executions/s can
/// approach on this machine.
/// </summary>
public sealed partial class CeilingWorkload : IWorkload
{
    private const string Script =
        """
        BEGIN;
        INSERT INTO bench_ceiling_ledger (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time, state, claim_token, claimed_by, claimed_at, fire_instance_id)
        VALUES ('bench-ceiling', 'bench', 'ceiling', 'bench', 'client-' || :client_id, clock_timestamp(), 'completed', gen_random_uuid(), 'pgbench', now(), md5(random()::text));
        INSERT INTO bench_ceiling_history (sched_name, entry_id, instance_name, job_name, job_group, trigger_name, trigger_group, fired_time, run_time, succeeded, result, summary, fire_instance_id)
        VALUES ('bench-ceiling', md5(random()::text), 'pgbench', 'ceiling', 'bench', 'client-' || :client_id, 'bench', 638000000000000000, 10000, true, 1, 'heartbeat from pgbench', md5(random()::text));
        COMMIT;
        """;

    public string Name => "ceiling";

    public async Task RunAsync(BenchContext context)
    {
        const int clients = 4;
        var seconds = context.Size(10, 5);
        // Same columns, keys and indexes as the real tables (LIKE ... INCLUDING ALL), kept apart from them.
        await context.Db.ExecuteAsync(
            """
            DROP TABLE IF EXISTS bench_ceiling_ledger, bench_ceiling_history;
            CREATE TABLE bench_ceiling_ledger (LIKE scheduler_occurrences INCLUDING ALL);
            CREATE TABLE bench_ceiling_history (LIKE qrtz_execution_history INCLUDING ALL);
            """);
        try
        {
            var scriptPath = Path.Combine(context.Options.WorkDirectory, "ceiling.sql");
            await File.WriteAllTextAsync(scriptPath, Script);
            var (tps, output) = await RunPgbenchAsync(context, scriptPath, clients, seconds);
            context.Log($"ceiling: pgbench said:{Environment.NewLine}{output.Trim()}");
            var section = context.Results.Section(Name);
            section["mode"] = context.Mode;
            section["tps"] = Math.Round(tps, 0);
            section["clients"] = clients;
            section["seconds"] = seconds;
            section["script"] = "one ledger claim insert + one history row per transaction (tables LIKE scheduler_occurrences / qrtz_execution_history INCLUDING ALL)";
            context.Results.Row("ceiling", "pgbench tps", tps, "0", $"pgbench -M prepared -c {clients} -j 2 -T {seconds}, 1 claim + 1 history row per transaction");
        }
        finally
        {
            await context.Db.ExecuteAsync("DROP TABLE IF EXISTS bench_ceiling_ledger, bench_ceiling_history");
        }
    }

    private static async Task<(double Tps, string Output)> RunPgbenchAsync(BenchContext context, string script, int clients, int seconds)
    {
        var cs = new NpgsqlConnectionStringBuilder(context.Options.Connection);
        var info = new ProcessStartInfo("pgbench") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "-n", "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
            "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script,
            "-h", cs.Host ?? "127.0.0.1", "-p", cs.Port.ToString(CultureInfo.InvariantCulture), "-U", cs.Username ?? "postgres", cs.Database ?? "scheduler",
        })
        {
            info.ArgumentList.Add(arg);
        }

        if (!string.IsNullOrEmpty(cs.Password))
        {
            info.Environment["PGPASSWORD"] = cs.Password;
        }

        using var process = Process.Start(info) ?? throw new WorkloadFailedException("could not start pgbench");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new WorkloadFailedException("pgbench did not finish in time");
        }

        var output = await stdout + await stderr;
        var match = TpsLine().Match(output);
        if (process.ExitCode != 0 || !match.Success || double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) <= 0)
        {
            throw new WorkloadFailedException($"pgbench exited {process.ExitCode}: {output.Trim()}");
        }

        return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), output);
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
