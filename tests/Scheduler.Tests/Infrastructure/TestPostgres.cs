using System.Diagnostics;
using Npgsql;

namespace Scheduler.Tests.Infrastructure;

/// <summary>Stops and starts the test PostgreSQL server itself, for the fault scenarios (scripts/pg-stop.sh and pg-start.sh).</summary>
public static class TestPostgres
{
    /// <summary>Set by scripts/test.sh: the folder scripts/pg-start.sh started the test server in.</summary>
    public const string DirectoryVariable = "SCHEDULER_TEST_PGDIR";

    private static string Directory =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir
            ? dir
            : throw new InvalidOperationException($"{DirectoryVariable} is not set: run the tests with scripts/test.sh.");

    /// <summary>Stops the server (fast shutdown: sessions are cut).</summary>
    public static Task StopAsync() => RunAsync("pg-stop.sh", "--dir", Directory);

    /// <summary>Starts it again on the same port.</summary>
    public static async Task StartAsync()
    {
        await RunAsync("pg-start.sh", "--dir", Directory, "--fast");
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Runs one of scripts/ with <paramref name="args"/> and returns its standard output; throws with its stderr when it fails.</summary>
    public static async Task<string> RunAsync(string script, params string[] args)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(TestEnvironment.RepositoryRoot, "scripts", script));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {await stderr}");
        }

        return stdout;
    }
}
