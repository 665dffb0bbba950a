using Npgsql;

namespace Scheduler.Bench;

/// <summary>The driver's command line: <c>scheduler-bench WORKLOAD --connection CS --dll PATH [--smoke] [--profiles a,b] [--work DIR] [--out FILE] [--minutes N]</c>.</summary>
public sealed record BenchOptions(
    IReadOnlyList<string> Workloads,
    string Connection,
    string SchedulerDll,
    bool Smoke,
    IReadOnlyList<string> Profiles,
    string WorkDirectory,
    string OutputFile,
    int? Minutes = null)
{
    /// <summary>Every workload, in the order <c>all</c> runs them (the soak only when asked for: it takes 20 minutes).</summary>
    public static readonly IReadOnlyList<string> AllWorkloads = ["burst", "cron", "herd", "scale", "failover", "ceiling"];

    /// <summary>Every workload that can be named.</summary>
    public static readonly IReadOnlyList<string> KnownWorkloads = [.. AllWorkloads, "soak"];

    /// <summary>Parses the arguments run.sh passes.</summary>
    /// <exception cref="ArgumentException">An argument is unknown or missing.</exception>
    public static BenchOptions Parse(string[] args)
    {
        string workload = "all", connection = "", dll = "", profiles = "", work = "bench/.work", output = "bench/results/latest.json";
        var smoke = false;
        int? minutes = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--connection": connection = Next(); break;
                case "--dll": dll = Next(); break;
                case "--smoke": smoke = true; break;
                case "--profiles": profiles = Next(); break;
                case "--work": work = Next(); break;
                case "--out": output = Next(); break;
                case "--minutes":
                    var text = Next();
                    minutes = int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 1440
                        ? m
                        : throw new ArgumentException($"--minutes '{text}' must be a whole number from 1 to 1440");
                    break;
                case var w when !w.StartsWith('-'): workload = w; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        var workloads = workload == "all" ? AllWorkloads
            : KnownWorkloads.Contains(workload) ? [workload]
            : throw new ArgumentException($"unknown workload '{workload}' ({string.Join('|', KnownWorkloads)}|all)");
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new ArgumentException("--connection is required");
        }

        if (!File.Exists(dll))
        {
            throw new ArgumentException($"--dll '{dll}' does not exist (build src/Scheduler.Host first)");
        }

        _ = new NpgsqlConnectionStringBuilder(connection);
        var profileList = string.IsNullOrWhiteSpace(profiles)
            ? (smoke ? ["default"] : ["default", "tuned"])
            : profiles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var p in profileList)
        {
            _ = NodeProfile.Find(p);
        }

        return new BenchOptions(workloads, connection, Path.GetFullPath(dll), smoke, profileList, Path.GetFullPath(work), Path.GetFullPath(output), minutes);
    }
}
