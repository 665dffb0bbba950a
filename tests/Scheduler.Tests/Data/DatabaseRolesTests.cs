using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Scheduler.Data.Migrations;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Data;

/// <summary>sql/roles.sql on a fresh PostgreSQL 15 as shipped: migrate, a node, the CLI and the README's queries as its roles.</summary>
public sealed partial class DatabaseRolesTests
{
    private static readonly TimeSpan VerbTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Migrate_a_node_the_cli_and_every_readme_query_work_as_the_roles_of_roles_sql()
    {
        await using var db = await TestDatabase.CreateAsync("roles_e2e");
        await using var roles = await DatabaseRoles.InstallAsync(db);
        var owner = await roles.LoginAsync("scheduler_owner");
        var runtime = await roles.LoginAsync("scheduler_runtime");
        var readOnly = await roles.LoginAsync("scheduler_readonly");

        await using var migrate = await SchedulerProcess.RunAsync(["migrate"], As(db, owner), VerbTimeout);
        Assert.True(migrate.ExitCode == 0, migrate.Describe());
        Assert.Equal(0L, await db.ScalarAsync<long>(
            """
            SELECT count(*) FROM pg_class
            WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'v') AND pg_get_userbyid(relowner) <> 'scheduler_owner'
            """));

        await using var node = SchedulerProcess.Start("node", ["run", "--urls", "http://127.0.0.1:0"], As(db, runtime, "roles-node"));
        await Poll.UntilAsync(async () => node.HasExited || await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_execution_history") >= 2,
            TimeSpan.FromSeconds(45), "the node running as scheduler_runtime to record two executions");
        Assert.False(node.HasExited, node.Describe());

        foreach (var verb in new[] { "status", "jobs", "history" })
        {
            await using var read = await SchedulerProcess.RunAsync([verb], As(db, readOnly), VerbTimeout);
            Assert.True(read.ExitCode == 0, read.Describe());
        }

        await using var refused = await SchedulerProcess.RunAsync(["pause", "samples.heartbeat"], As(db, readOnly), VerbTimeout);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("permission denied", refused.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("shut down", refused.StandardError, StringComparison.Ordinal);

        await using var pause = await SchedulerProcess.RunAsync(["pause", "samples.heartbeat", "--reason", "roles"], As(db, runtime), VerbTimeout);
        await using var resume = await SchedulerProcess.RunAsync(["resume", "samples.heartbeat"], As(db, runtime), VerbTimeout);
        Assert.True(pause.ExitCode == 0, pause.Describe());
        Assert.True(resume.ExitCode == 0, resume.Describe());

        await using var dba = NpgsqlDataSource.Create(readOnly);
        foreach (var query in ReadmeQueries())
        {
            await using var command = dba.CreateCommand(query);
            try
            {
                await command.ExecuteNonQueryAsync();
            }
            catch (PostgresException e)
            {
                Assert.Fail($"As scheduler_readonly, this sql/README.md query failed with {e.SqlState} {e.MessageText}:\n{query}");
            }
        }
    }

    [Fact]
    public async Task The_runtime_role_appends_to_the_audit_but_deletes_only_old_rows_through_the_owner_function()
    {
        await using var db = await TestDatabase.CreateAsync("roles_audit");
        await using var roles = await DatabaseRoles.InstallAsync(db);
        await MigrateAsAsync(await roles.LoginAsync("scheduler_owner"));
        await using var runtime = NpgsqlDataSource.Create(await roles.LoginAsync("scheduler_runtime"));
        await using var readOnly = NpgsqlDataSource.Create(await roles.LoginAsync("scheduler_readonly"));

        await Execute(runtime,
            """
            INSERT INTO scheduler_audit (at, actor, role, action, target, source, node, outcome)
            VALUES (now() - interval '400 days', 'a', 'cli', 'trigger', 'x', 'cli:h', 'n', 'ok'),
                   (now(), 'a', 'cli', 'trigger', 'y', 'cli:h', 'n', 'ok')
            """);

        Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => Execute(runtime, "DELETE FROM scheduler_audit"))).SqlState);
        Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(() => Execute(runtime, "UPDATE scheduler_audit SET outcome = 'x'"))).SqlState);
        Assert.Equal("22023", (await Assert.ThrowsAsync<PostgresException>(
            () => Execute(runtime, "SELECT scheduler_prune_audit(interval '1 day')"))).SqlState);
        Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(
            () => Execute(readOnly, "SELECT scheduler_prune_audit(interval '30 days')"))).SqlState);
        Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(
            () => Execute(readOnly, "SELECT count(*) FROM scheduler_dataprotection_keys"))).SqlState);
        Assert.Equal("42501", (await Assert.ThrowsAsync<PostgresException>(
            () => Execute(readOnly, "SELECT count(*) FROM scheduler_sessions"))).SqlState);

        await Execute(runtime, "SELECT scheduler_prune_audit(interval '365 days')");

        Assert.Equal(["y"], await db.ListAsync("SELECT target FROM scheduler_audit", r => r.GetString(0)));
    }

    [Fact]
    public async Task Views_recreated_by_a_later_migration_keep_their_grants_and_roles_sql_repairs_a_superusers_migration()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("roles_repair");
        await using var roles = await DatabaseRoles.InstallAsync(db);
        var owner = await roles.LoginAsync("scheduler_owner");
        await using var readOnly = NpgsqlDataSource.Create(await roles.LoginAsync("scheduler_readonly"));
        await Execute(readOnly, "SELECT count(*) FROM scheduler_executions");

        // The views file run again, as `migrate` runs files (as the owner role), the way a later migration re-creates views.
        await using (var asOwner = NpgsqlDataSource.Create(owner))
        {
            var views = MigrationCatalog.All.Single(m => m.Name == "0005_dba_views.sql");
            await Execute(asOwner, $"SET ROLE scheduler_owner; {views.Sql}");
        }

        Assert.Equal("scheduler_owner", await db.ScalarAsync<string>("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'qrtz_triggers'"));
        await Execute(readOnly, "SELECT count(*) FROM scheduler_executions JOIN scheduler_nodes ON true");
        await Execute(readOnly, "SELECT count(*) FROM scheduler_triggers");
    }

    private static Dictionary<string, string?> As(TestDatabase db, string connectionString, string? instanceId = null)
    {
        var env = NodeEnvironment.For(db, instanceId);
        env["ConnectionStrings__Scheduler"] = connectionString;
        return env;
    }

    private static async Task MigrateAsAsync(string connectionString)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
    }

    private static async Task Execute(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static readonly string[] DbaSections = ["Queries a DBA asks first", "Retention and sizing", "Locks the service takes"];

    /// <summary>Every statement of the ```sql blocks of the sections a DBA reads from (<see cref="DbaSections"/>) in sql/README.md.</summary>
    public static IReadOnlyList<string> ReadmeQueries()
    {
        var readme = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "sql", "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var queries = new List<string>();
        foreach (Match section in Section().Matches(readme))
        {
            if (!DbaSections.Any(s => section.Groups[1].Value.StartsWith(s, StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (Match block in SqlBlock().Matches(section.Groups[2].Value))
            {
                queries.AddRange(block.Groups[1].Value.Split(";\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(q => q.TrimEnd(';')).Where(q => q.Length > 0));
            }
        }

        Assert.True(queries.Count >= 15, $"expected the README's queries, found {queries.Count}");
        return queries;
    }

    [GeneratedRegex(@"^## (.+?)\n(.*?)(?=^## |\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Section();

    [GeneratedRegex(@"```sql\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SqlBlock();
}
