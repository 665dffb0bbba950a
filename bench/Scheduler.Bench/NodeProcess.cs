using System.Diagnostics;
using System.Globalization;

namespace Scheduler.Bench;

/// <summary>One <c>scheduler run</c> process, started through <c>sh -c exec</c> so its PID is the node's and its output goes to a log file.</summary>
public sealed class NodeProcess(string instanceId, int port, string logPath, Process process)
{
    public string InstanceId { get; } = instanceId;

    public int Port { get; } = port;

    public string LogPath { get; } = logPath;

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Starts the node with the given environment on top of the driver's own.</summary>
    public static NodeProcess Start(string dll, string instanceId, int port, string logPath, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var arg in new[] { "-c", "exec dotnet \"$0\" run >\"$1\" 2>&1", dll, logPath })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {instanceId}");
        // bench/run.sh stops, by these PIDs, any node a killed driver could not stop itself.
        if (Environment.GetEnvironmentVariable("BENCH_PID_FILE") is { Length: > 0 } pidFile)
        {
            File.AppendAllText(pidFile, process.Id.ToString(CultureInfo.InvariantCulture) + Environment.NewLine);
        }

        return new NodeProcess(instanceId, port, logPath, process);
    }

    /// <summary>Resident set size from /proc/PID/status, in MiB, or null once the process is gone.</summary>
    public double? RssMiB() => Memory()?.Rss;

    /// <summary>
    /// The resident set from /proc/PID/status in MiB, split as the kernel counts it: <c>Anon</c> (heaps, stacks: this process's
    /// own), <c>File</c> (mapped assemblies and the runtime, shared through the page cache with every node on the machine) and
    /// <c>Shmem</c> (the runtime's double-mapped JIT code under W^X); null once the process is gone.
    /// </summary>
    public (double Rss, double Anon, double File, double Shmem)? Memory()
    {
        try
        {
            var fields = File.ReadLines($"/proc/{Pid}/status")
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2 && p[0] is "VmRSS" or "RssAnon" or "RssFile" or "RssShmem")
                .ToDictionary(p => p[0], p => long.Parse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0);
            return fields.TryGetValue("VmRSS", out var rss)
                ? (rss, fields.GetValueOrDefault("RssAnon"), fields.GetValueOrDefault("RssFile"), fields.GetValueOrDefault("RssShmem"))
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>kill -9: the crash the failover workload simulates.</summary>
    public void KillHard() => process.Kill();

    /// <summary>SIGTERM (the node drains and exits), then SIGKILL if it is still running after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var term = Process.Start("kill", ["-TERM", Pid.ToString(CultureInfo.InvariantCulture)]))
        {
            await term!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"bench: {InstanceId} (pid {Pid}) ignored SIGTERM for {grace.TotalSeconds:0} s: SIGKILL");
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>The last lines of the node's log, for failure messages.</summary>
    public string Tail(int lines = 15)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
