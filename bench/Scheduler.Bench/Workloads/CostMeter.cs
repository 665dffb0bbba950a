using System.Globalization;
using System.Text.Json.Nodes;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// What a window of work cost, per execution: PostgreSQL statements the nodes sent (top-level pg_stat_statements calls, split
/// into Quartz's — those touching <c>qrtz_</c> tables —, ours — <c>scheduler_</c> tables — and the rest: transaction control,
/// session settings), apart from them the statements PostgreSQL ran inside those (foreign-key checks and cascades), and CPU
/// time of the node processes and of the PostgreSQL server (the postmaster, its live children, and the children it reaped),
/// from <c>/proc</c>. The driver's own queries (marked <see cref="BenchDatabase.DriverMarker"/>) are left out.
/// </summary>
public sealed class CostMeter
{
    private readonly StatementCounter counter;
    private readonly int? postmasterPid;
    private IReadOnlyList<NodeProcess> nodes;
    private StatementCounter.Snapshot? statementsBefore;
    private double nodeCpuBefore;
    private double? postgresCpuBefore;

    private CostMeter(StatementCounter counter, int? postmasterPid, IReadOnlyList<NodeProcess> nodes)
    {
        this.counter = counter;
        this.postmasterPid = postmasterPid;
        this.nodes = nodes;
    }

    /// <summary>Starts measuring now, for <paramref name="nodes"/> (keep them running until <see cref="StopAsync"/>).</summary>
    public static async Task<CostMeter> StartAsync(BenchDatabase db, IReadOnlyList<NodeProcess> nodes)
    {
        var counter = new StatementCounter(db);
        await counter.InitializeAsync();
        var meter = new CostMeter(counter, await PostmasterPidAsync(db), nodes);
        meter.statementsBefore = await counter.TakeAsync();
        meter.nodeCpuBefore = nodes.Sum(n => ProcessCpuMs(n.Pid) ?? 0);
        meter.postgresCpuBefore = meter.postmasterPid is { } pid ? ServerCpuMs(pid) : null;
        return meter;
    }

    /// <summary>
    /// Starts measuring before the nodes exist (burst: they fire as soon as they start): their whole CPU time counts, start-up
    /// included; pass them to <see cref="StopAsync"/>.
    /// </summary>
    public static Task<CostMeter> StartBeforeNodesAsync(BenchDatabase db) => StartAsync(db, []);

    /// <summary>
    /// The cost since <see cref="StartAsync"/>, divided by <paramref name="executions"/>, as a JSON object for the workload's section.
    /// <paramref name="startedSince"/>: nodes started after the meter, whose CPU counts from their start.
    /// </summary>
    public async Task<JsonObject> StopAsync(long executions, IReadOnlyList<NodeProcess>? startedSince = null)
    {
        if (startedSince is not null)
        {
            nodes = [.. nodes, .. startedSince];
        }

        var nodeCpu = nodes.Sum(n => ProcessCpuMs(n.Pid) ?? 0) - nodeCpuBefore;
        double? postgresCpu = postmasterPid is { } pid && postgresCpuBefore is { } before ? ServerCpuMs(pid) - before : null;
        var after = await counter.TakeAsync();
        var (ours, quartz, other, nested) = Split(statementsBefore!, after);
        double? Per(double? total) => executions > 0 && total is { } t ? Math.Round(t / executions, 3) : null;
        return new JsonObject
        {
            ["executions"] = executions,
            ["statements_per_execution"] = counter.HasStatements ? Per(ours + quartz + other) : null,
            ["statements_per_execution_by_owner"] = counter.HasStatements
                ? new JsonObject { ["quartz"] = Per(quartz), ["ours"] = Per(ours), ["other"] = Per(other) }
                : null,
            ["nested_statements_per_execution"] = counter.HasStatements ? Per(nested) : null,
            ["cpu_ms_per_execution"] = new JsonObject { ["nodes"] = Per(nodeCpu), ["postgres"] = Per(postgresCpu) },
            ["cpu_ms"] = new JsonObject { ["nodes"] = Math.Round(nodeCpu, 0), ["postgres"] = postgresCpu is { } p ? Math.Round(p, 0) : null },
            ["top_statements"] = new JsonArray(after.Top(statementsBefore!, 30).Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        };
    }

    /// <summary>Copies every cost figure of <paramref name="cost"/> into <paramref name="run"/> (but its execution count).</summary>
    public static void Merge(JsonObject run, JsonObject cost)
    {
        foreach (var (key, value) in cost)
        {
            if (key != "executions")
            {
                run[key] = value?.DeepClone();
            }
        }
    }

    /// <summary>Adds the cost figures of <paramref name="cost"/> to the printed table.</summary>
    public static void AddRows(BenchContext context, string workload, JsonObject cost, string settings)
    {
        context.Results.Row(workload, "statements / execution", (double?)cost["statements_per_execution"], "0.00", settings);
        var cpu = (JsonObject)cost["cpu_ms_per_execution"]!;
        context.Results.Row(workload, "node CPU ms / execution", (double?)cpu["nodes"], "0.000", settings);
        context.Results.Row(workload, "PostgreSQL CPU ms / execution", (double?)cpu["postgres"], "0.000", settings);
    }

    private static (double Ours, double Quartz, double Other, double Nested) Split(StatementCounter.Snapshot before, StatementCounter.Snapshot after)
    {
        double ours = 0, quartz = 0, other = 0, nested = 0;
        foreach (var (text, calls) in after.Calls)
        {
            if (StatementCounter.Snapshot.IsDriver(text))
            {
                continue;
            }

            var delta = calls - before.Calls.GetValueOrDefault(text);
            if (StatementCounter.Snapshot.IsNested(text))
            {
                nested += delta;
            }
            else if (text.Contains("qrtz_", StringComparison.OrdinalIgnoreCase))
            {
                quartz += delta;
            }
            else if (text.Contains("scheduler_", StringComparison.OrdinalIgnoreCase))
            {
                ours += delta;
            }
            else
            {
                other += delta;
            }
        }

        return (ours, quartz, other, nested);
    }

    /// <summary>The server's postmaster, when it runs on this machine: the parent of this session's backend, if it is a postgres process.</summary>
    private static async Task<int?> PostmasterPidAsync(BenchDatabase db)
    {
        var backend = await db.ScalarAsync<int>($"{BenchDatabase.DriverMarker} SELECT pg_backend_pid()");
        var parent = Stat(backend) is { } stat ? int.Parse(stat[1], CultureInfo.InvariantCulture) : (int?)null;
        return parent is { } p && IsPostgres(p) && IsPostgres(backend) ? p : null;
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim().StartsWith("postgres", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The postmaster's own CPU, its reaped children's, and its live children's.</summary>
    private static double ServerCpuMs(int postmaster)
    {
        var total = ProcessCpuMs(postmaster, withReapedChildren: true) ?? 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != postmaster && Stat(pid) is { } stat && stat[1] == postmaster.ToString(CultureInfo.InvariantCulture))
            {
                total += ProcessCpuMs(pid, withReapedChildren: true) ?? 0;
            }
        }

        return total;
    }

    /// <summary>utime + stime (and cutime + cstime) of <paramref name="pid"/> in ms, or null once it is gone.</summary>
    private static double? ProcessCpuMs(int pid, bool withReapedChildren = false)
    {
        if (Stat(pid) is not { } f)
        {
            return null;
        }

        // Fields after the command: [11] utime, [12] stime, [13] cutime, [14] cstime (man proc, counting from state = [0]).
        var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
        if (withReapedChildren)
        {
            ticks += long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture);
        }

        return ticks * 1000.0 / ClockTicksPerSecond;
    }

    /// <summary>The fields of /proc/PID/stat after "(comm)": [0] is man proc's field 3 (state), [1] the parent PID, [11] utime.</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>USER_HZ: 100 on Linux for every architecture .NET runs on.</summary>
    private const double ClockTicksPerSecond = 100;
}
