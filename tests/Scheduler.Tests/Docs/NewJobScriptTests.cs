using System.Diagnostics;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Docs;

/// <summary>
/// <c>scripts/new-job.sh</c>, run on a copy of the repository: the job, options, test and configuration entry it creates
/// build with warnings as errors, the generated tests pass against the test PostgreSQL, and <c>validate</c> accepts the entry.
/// </summary>
public sealed class NewJobScriptTests
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task A_generated_job_builds_its_tests_pass_and_its_entry_validates()
    {
        var copy = Directory.CreateTempSubdirectory("scheduler-newjob-");
        try
        {
            var root = TestEnvironment.RepositoryRoot;
            await RunAsync("bash", ["-c",
                "tar --exclude=bin --exclude=obj --exclude=.playwright -cf - src tests sql config scripts .editorconfig " +
                "Directory.Build.props Directory.Packages.props global.json Scheduler.sln | tar -xf - -C \"$0\"", copy.FullName], root);

            var created = await RunAsync("bash", [Path.Combine(copy.FullName, "scripts", "new-job.sh"), "ProbeCarts", "--cron", "0 */5 * * * ?"], copy.FullName);
            Assert.Contains("src/Scheduler.Jobs/ProbeCarts/ProbeCartsJob.cs", created, StringComparison.Ordinal);

            await RunAsync("dotnet", ["build", "tests/Scheduler.Tests", "-v", "q", "-nologo"], copy.FullName);
            var tested = await RunAsync("dotnet", ["test", "tests/Scheduler.Tests", "--no-build", "-nologo", "--filter", "FullyQualifiedName~ProbeCartsJobTests"], copy.FullName);
            Assert.Contains("Passed:     2", tested, StringComparison.Ordinal);

            var dll = Directory.GetFiles(Path.Combine(copy.FullName, "src", "Scheduler.Host", "bin"), "scheduler.dll", SearchOption.AllDirectories).Single();
            var validated = await RunAsync("dotnet", [dll, "validate", "--offline", "--next", "1", "--config", "config/jobs/probe_carts.json"], copy.FullName);
            Assert.Contains("config.probe_carts (ProbeCartsJob, UTC)", validated, StringComparison.Ordinal);

            // A second run refuses to overwrite what the first created.
            var again = await RunAsync("bash", ["scripts/new-job.sh", "ProbeCarts"], copy.FullName, expectedExit: 1);
            Assert.Contains("already exists; nothing was written", again, StringComparison.Ordinal);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("expire-carts")]
    [InlineData("lower")]
    [InlineData("Bad Name")]
    public async Task A_name_that_is_not_a_PascalCase_class_name_is_refused_and_nothing_is_written(string name)
    {
        var copy = Directory.CreateTempSubdirectory("scheduler-newjob-bad-");
        try
        {
            Directory.CreateDirectory(Path.Combine(copy.FullName, "src"));
            var output = await RunAsync("bash", [Path.Combine(TestEnvironment.RepositoryRoot, "scripts", "new-job.sh"), name, "--root", copy.FullName],
                copy.FullName, expectedExit: 2);

            Assert.Contains($"NAME '{name}' must be PascalCase", output, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(copy.FullName, "*", SearchOption.AllDirectories));
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    private static async Task<string> RunAsync(string file, IEnumerable<string> args, string directory, int expectedExit = 0)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // The generated test needs the suite's database server; MSBuild node reuse would outlive this test.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(BuildTimeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish within {BuildTimeout}");
        }

        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == expectedExit, $"{file} {string.Join(' ', info.ArgumentList)} exited {process.ExitCode}, expected {expectedExit}:\n{output}");
        return output;
    }
}
