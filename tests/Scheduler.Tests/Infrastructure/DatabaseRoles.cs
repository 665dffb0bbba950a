using System.Diagnostics;
using Npgsql;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// sql/roles.sql as a DBA runs it (<c>psql -v ON_ERROR_STOP=1 -d DB -f sql/roles.sql</c>, as the test server's superuser), and
/// login roles made members of its roles. Roles are cluster-wide: the three NOLOGIN roles are shared by every test database;
/// each login made here is dropped on dispose.
/// </summary>
public sealed class DatabaseRoles : IAsyncDisposable
{
    private readonly List<string> logins = [];
    private readonly TestDatabase database;

    private DatabaseRoles(TestDatabase database) => this.database = database;

    public static string RolesFile => Path.Combine(TestEnvironment.RepositoryRoot, "sql", "roles.sql");

    /// <summary>Runs sql/roles.sql on <paramref name="database"/> with psql; throws with psql's output when it fails.</summary>
    public static async Task<DatabaseRoles> InstallAsync(TestDatabase database)
    {
        await RunPsqlAsync(database.Name, "-f", RolesFile);
        return new DatabaseRoles(database);
    }

    /// <summary>Runs sql/roles.sql again (it is meant to be re-runnable).</summary>
    public Task ReinstallAsync() => RunPsqlAsync(database.Name, "-f", RolesFile);

    /// <summary>Creates a LOGIN role that is a member of <paramref name="role"/>; returns a connection string for it.</summary>
    public async Task<string> LoginAsync(string role)
    {
        var login = $"{database.Name}_{role.Replace("scheduler_", "", StringComparison.Ordinal)}";
        await using (var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE ROLE \"{login}\" LOGIN IN ROLE {role}", admin);
            await create.ExecuteNonQueryAsync();
        }

        logins.Add(login);
        return new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = login, Password = null }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString);
        await admin.OpenAsync();
        foreach (var login in logins)
        {
            await using var drop = new NpgsqlCommand(
                $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{login}'; DROP ROLE IF EXISTS \"{login}\"", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task RunPsqlAsync(string databaseName, params string[] args)
    {
        var admin = new NpgsqlConnectionStringBuilder(TestEnvironment.AdminConnectionString);
        var info = new ProcessStartInfo("psql") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", admin.Host!, "-p", admin.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", admin.Username!, "-d", databaseName }.Concat(args))
        {
            info.ArgumentList.Add(arg);
        }

        if (admin.Password is { Length: > 0 } password)
        {
            info.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql {string.Join(' ', args)} failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
    }
}
