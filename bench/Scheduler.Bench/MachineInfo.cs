using System.Text.Json.Nodes;

namespace Scheduler.Bench;

/// <summary>The machine and database the figures were measured on, as the <c>machine</c> section.</summary>
public static class MachineInfo
{
    public static async Task RecordAsync(BenchContext context)
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memKb = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            : null;
        var machine = new JsonObject
        {
            ["processors"] = Environment.ProcessorCount,
            ["cpu_model"] = model,
            ["memory"] = memKb?.Split(':', 2)[1].Trim(),
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["dotnet"] = Environment.Version.ToString(),
            ["postgresql"] = await context.Db.VersionAsync(),
            ["mode"] = context.Mode,
        };
        context.Results.Root["machine"] = machine;
    }
}
