using Npgsql;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Security;

/// <summary>Finding 2 of the security review: a node connected as a PostgreSQL superuser says so, at start and in validate.</summary>
public sealed class DatabaseRoleTests
{
    private static readonly TimeSpan VerbTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Validate_warns_about_a_superuser_connection_and_not_about_a_least_privileged_one()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sec_role");
        var role = $"t_login_{Guid.NewGuid():N}";
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA public TO {role}; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}");
        try
        {
            await using var asSuperuser = await SchedulerProcess.RunAsync(["validate"], NodeEnvironment.For(db), VerbTimeout);
            var limited = NodeEnvironment.For(db);
            limited["ConnectionStrings__Scheduler"] = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Username = role }.ConnectionString;
            await using var asLimited = await SchedulerProcess.RunAsync(["validate"], limited, VerbTimeout);

            Assert.True(asSuperuser.ExitCode == 0, asSuperuser.Describe());
            Assert.Contains("warning: The node connects to PostgreSQL as 'postgres', a superuser", asSuperuser.StandardError, StringComparison.Ordinal);
            Assert.True(asLimited.ExitCode == 0, asLimited.Describe());
            Assert.DoesNotContain("superuser", asLimited.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await db.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }
}
