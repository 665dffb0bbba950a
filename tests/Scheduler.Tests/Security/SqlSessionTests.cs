using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Scheduler.Jobs.Sql;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Security;

/// <summary>
/// Finding 3 of the security review: with Npgsql's reset on return turned off for speed, a <c>sql</c> job's session
/// changes stayed on the pooled connection and changed Quartz's and the ledger's later statements.
/// </summary>
public sealed class SqlSessionTests
{
    private const string Changes =
        """
        SET application_name = 'hijacked';
        SET search_path = pg_catalog;
        SET statement_timeout = '7min';
        SET idle_in_transaction_session_timeout = 0;
        SET ROLE @role;
        SELECT pg_advisory_lock(4242);
        CREATE TEMP TABLE leftover (x int);
        """;

    [Theory]
    [InlineData("SELECT 1")]
    [InlineData("SELECT 1 / 0")]
    public async Task Nothing_a_sql_job_does_to_its_session_survives_it_whether_it_succeeds_or_fails(string ending)
    {
        await using var db = await TestDatabase.CreateMigratedAsync("sql_session");
        var role = $"t_role_{Guid.NewGuid():N}";
        await db.ExecuteAsync($"CREATE ROLE {role}; GRANT ALL ON SCHEMA public TO {role}");
        try
        {
            // One physical connection without Npgsql's reset, with the options every node connection carries.
            var pooled = new NpgsqlConnectionStringBuilder(db.ConnectionString)
            {
                MaxPoolSize = 1,
                ApplicationName = "scheduler-node",
                Options = "-c idle_in_transaction_session_timeout=10000",
            };
            Scheduler.Data.ConnectionDefaults.Apply(pooled);
            await using var dataSource = NpgsqlDataSource.Create(pooled.ConnectionString);
            await using var harness = await JobTestHarness.CreateAsync(db, s => s.AddSingleton(dataSource));

            var run = await harness.RunAsync<SqlJob>(DateTimeOffset.UtcNow, new()
            {
                [SqlJobData.SqlKey] = Changes.Replace("@role", role, StringComparison.Ordinal) + ending,
            });
            Assert.Equal(ending == "SELECT 1", run.Exception is null);

            await using var connection = await dataSource.OpenConnectionAsync();
            await using var read = new NpgsqlCommand(
                """
                SELECT current_setting('application_name'), current_setting('search_path'), current_setting('statement_timeout'),
                       current_setting('idle_in_transaction_session_timeout'), current_user = session_user,
                       (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()),
                       (SELECT count(*) FROM pg_class WHERE relname = 'leftover' AND relpersistence = 't')
                """, connection);
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(
                ("scheduler-node", "\"$user\", public", "0", "10s", true, 0L, 0L),
                (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4), reader.GetInt64(5), reader.GetInt64(6)));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await db.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }
}
