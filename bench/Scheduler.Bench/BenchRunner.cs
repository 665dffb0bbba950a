using Scheduler.Bench.Workloads;

namespace Scheduler.Bench;

/// <summary>Runs the chosen workloads in order, records the machine, prints the table and writes the JSON.</summary>
public sealed class BenchRunner(BenchContext context)
{
    private static readonly Dictionary<string, Func<IWorkload>> Workloads = new()
    {
        ["burst"] = () => new BurstWorkload(),
        ["cron"] = () => new CronWorkload(),
        ["herd"] = () => new HerdWorkload(),
        ["soak"] = () => new SoakWorkload(),
        ["scale"] = () => new ScaleWorkload(),
        ["failover"] = () => new FailoverWorkload(),
        ["ceiling"] = () => new CeilingWorkload(),
    };

    /// <summary>Runs every workload even when one fails; returns how many failed.</summary>
    public async Task<int> RunAsync()
    {
        var failed = new List<string>();
        await MachineInfo.RecordAsync(context);
        foreach (var name in context.Options.Workloads)
        {
            var workload = Workloads[name]();
            var started = context.Time.GetUtcNow();
            try
            {
                await workload.RunAsync(context);
                context.Results.Section(name)["status"] = "ok";
            }
            catch (Exception e) when (e is WorkloadFailedException or InvalidOperationException or Npgsql.NpgsqlException or Quartz.SchedulerException or IOException)
            {
                context.Log($"{name}: FAILED: {e.Message}");
                context.Results.Section(name)["status"] = $"failed: {e.Message}";
                failed.Add(name);
            }

            context.Results.Section(name)["measured_at"] = started.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
            context.Results.Section(name)["wall_seconds"] = Math.Round((context.Time.GetUtcNow() - started).TotalSeconds, 1);
        }

        Console.WriteLine();
        Console.WriteLine($"Results ({context.Mode}; each figure with the settings it was measured with):");
        Console.WriteLine(context.Results.Table());
        await context.Results.WriteAsync(context.Options.OutputFile);
        Console.WriteLine($"Written: {context.Options.OutputFile}");
        if (failed.Count > 0)
        {
            Console.WriteLine($"FAILED workloads: {string.Join(", ", failed)}");
        }

        return failed.Count;
    }
}
