using System.Diagnostics;

namespace Scheduler.Tests.Observability;

/// <summary>Debian's <c>prometheus</c> package (the server and <c>promtool</c>), which scripts/prometheus-deps.sh installs.</summary>
public static class PrometheusTools
{
    /// <summary>The shipped configuration: config/prometheus/.</summary>
    public static string ConfigDirectory => Path.Combine(Infrastructure.TestEnvironment.RepositoryRoot, "config", "prometheus");

    /// <summary>The full path of <paramref name="tool"/>; a test that needs it fails, never skips, when it is missing.</summary>
    public static string Require(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(d => Path.Combine(d, tool))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            $"{tool} is not installed: run the tests with scripts/test.sh (scripts/prometheus-deps.sh installs Debian's prometheus package).");

    /// <summary>Runs <c>promtool</c> to completion (a minute at most) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> PromtoolAsync(params string[] args)
    {
        var info = new ProcessStartInfo(Require("promtool"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ConfigDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"promtool {string.Join(' ', args)} did not finish within a minute.");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
