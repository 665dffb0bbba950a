using System.Reflection;
using Npgsql;

namespace Scheduler.Tests.Infrastructure;

/// <summary>Where the tests find PostgreSQL and the built <c>scheduler</c> binary.</summary>
public static class TestEnvironment
{
    /// <summary>Environment variable holding an admin connection string (may create databases); set by scripts/test.sh.</summary>
    public const string AdminConnectionVariable = "SCHEDULER_TEST_CONNECTION";

    /// <summary>The admin connection string; a test that needs the database fails (never skips) without it.</summary>
    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(AdminConnectionVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{AdminConnectionVariable} is not set: run the tests with scripts/test.sh, which starts a throwaway PostgreSQL.");

    /// <summary>The repository root (the folder holding Scheduler.sln).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The built host, <c>src/Scheduler.Host/bin/{Configuration}/{TargetFramework}/scheduler.dll</c>.</summary>
    public static string SchedulerDll
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "src", "Scheduler.Host", "bin", Metadata("Configuration"), Metadata("TargetFramework"), "scheduler.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build the solution first: {path} is missing.", path);
        }
    }

    /// <summary>A connection string to <paramref name="database"/> on the test server.</summary>
    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, Pooling = true }.ConnectionString;

    private static string Metadata(string key) =>
        typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Scheduler.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Scheduler.sln not found above " + AppContext.BaseDirectory);
    }
}
