using Npgsql;

namespace Scheduler.Bench;

/// <summary>The driver's command line: <c>scheduler-bench WORKLOAD --connection CS --dll PATH [--smoke] [--profiles a,b] [--work DIR] [--out FILE]</c>.</summary>
public sealed record BenchOptions(
    IReadOnlyList<string> Workloads,
    string Connection,
    string SchedulerDll,
    bool Smoke,
    IReadOnlyList<string> Profiles,
    string WorkDirectory,
    string OutputFile)
{
    /// <summary>Every workload, in the order <c>all</c> runs them.</summary>
    public static readonly IReadOnlyList<string> AllWorkloads = ["burst", "cron", "scale", "failover", "ceiling"];

    /// <summary>Parses the arguments run.sh passes.</summary>
    /// <exception cref="ArgumentException">An argument is unknown or missing.</exception>
    public static BenchOptions Parse(string[] args)
    {
        string workload = "all", connection = "", dll = "", profiles = "", work = "bench/.work", output = "bench/results/latest.json";
        var smoke = false;
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
                case var w when !w.StartsWith('-'): workload = w; break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        var workloads = workload == "all" ? AllWorkloads
            : AllWorkloads.Contains(workload) ? [workload]
            : throw new ArgumentException($"unknown workload '{workload}' (burst|cron|scale|failover|ceiling|all)");
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

        return new BenchOptions(workloads, connection, Path.GetFullPath(dll), smoke, profileList, Path.GetFullPath(work), Path.GetFullPath(output));
    }
}
