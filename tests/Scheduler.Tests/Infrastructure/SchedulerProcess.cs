using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// The real <c>scheduler</c> binary run out of process (<c>dotnet scheduler.dll VERB …</c>) with its output captured.
/// Disposing kills it (by its own PID) if it is still running.
/// </summary>
public sealed partial class SchedulerProcess : IAsyncDisposable
{
    private const int SigTerm = 15;

    /// <summary>Linux signal numbers the fault tests send.</summary>
    public const int SigKill = 9, SigCont = 18, SigStop = 19;
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly Lock gate = new();

    private SchedulerProcess(Process process) => this.process = process;

    public string Name { get; private init; } = "";

    public int Pid => process.Id;

    public string StandardOutput { get { lock (gate) { return stdout.ToString(); } } }

    public string StandardError { get { lock (gate) { return stderr.ToString(); } } }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Starts <c>scheduler</c> with <paramref name="args"/>; <paramref name="environment"/> is added to this process's environment.</summary>
    public static SchedulerProcess Start(string name, IEnumerable<string> args, IDictionary<string, string?> environment)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = TestEnvironment.RepositoryRoot,
        };
        info.ArgumentList.Add(TestEnvironment.SchedulerDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var result = new SchedulerProcess(process) { Name = name };
        process.OutputDataReceived += (_, e) => result.Append(result.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => result.Append(result.stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return result;
    }

    /// <summary>Runs a verb to completion and returns the finished process.</summary>
    public static async Task<SchedulerProcess> RunAsync(IEnumerable<string> args, IDictionary<string, string?> environment, TimeSpan timeout)
    {
        var run = Start(string.Join(' ', args), args, environment);
        await run.WaitForExitAsync(timeout);
        return run;
    }

    /// <summary>Sends SIGTERM, as an orchestrator does.</summary>
    public void Terminate() => Signal(SigTerm);

    /// <summary>Sends <paramref name="signal"/> to this process (by its PID).</summary>
    public void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds:0} s. Output:\n{Describe()}");
        }
    }

    /// <summary>Both output streams, for assertion messages.</summary>
    public string Describe() => $"--- stdout ({Name}) ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (gate)
        {
            target.AppendLine(line);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
