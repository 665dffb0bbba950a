using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Quartz;
using Scheduler.Data.Migrations;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Data;

/// <summary>Our sql/ files against Quartz 4.7.3's own idea of its PostgreSQL schema.</summary>
public sealed class QuartzSchemaTests
{
    [Fact]
    public async Task Quartz_schema_validation_passes_on_the_migrated_database()
    {
        await using var db = await TestDatabase.CreateAsync("quartz_validate");
        await new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);

        using var host = await StartQuartzAsync(db, provision: false);

        Assert.Equal(SchedulerStatus.Running, (await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler()).Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task Quartz_schema_validation_refuses_an_empty_database()
    {
        await using var db = await TestDatabase.CreateAsync("quartz_refuse");

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await StartQuartzAsync(db, provision: false));

        Assert.Contains("qrtz_", error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_migrated_schema_matches_what_Quartz_itself_provisions()
    {
        await using var ours = await TestDatabase.CreateAsync("schema_ours");
        await using var quartz = await TestDatabase.CreateAsync("schema_quartz");
        await new MigrationRunner(ours.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        using (var provisioned = await StartQuartzAsync(quartz, provision: true))
        {
            await provisioned.StopAsync();
        }

        foreach (var (what, sql) in CatalogQueries)
        {
            var expected = await quartz.ListAsync(sql, ReadRow);
            // Ours = Quartz's, plus the query indexes sql/0014 adds for the DBA's queries and the operator lists.
            var actual = (await ours.ListAsync(sql, ReadRow)).Where(row => !QueryIndexes.Any(name => row.Contains($" {name} ON ", StringComparison.Ordinal))).ToList();
            Assert.NotEmpty(expected);
            Assert.True(expected.SequenceEqual(actual),
                $"{what} differ.\nOnly Quartz's: {string.Join("\n  ", expected.Except(actual))}\nOnly ours: {string.Join("\n  ", actual.Except(expected))}");
        }
    }

    private static readonly (string What, string Sql)[] CatalogQueries =
    [
        ("tables", "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'qrtz\\_%' ORDER BY 1"),
        ("columns", """
            SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '')
                   || CASE WHEN is_nullable = 'NO' THEN ' NOT NULL' ELSE '' END || coalesce(' DEFAULT ' || column_default, '')
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name LIKE 'qrtz\_%' ORDER BY table_name, column_name
            """),
        ("constraints", """
            SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint WHERE conrelid::regclass::text LIKE 'qrtz\_%' ORDER BY 1
            """),
        ("indexes", "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename LIKE 'qrtz\\_%' ORDER BY indexname"),
    ];

    private static string ReadRow(NpgsqlDataReader reader) => reader.GetString(0);

    /// <summary>The index names sql/0014_query_indexes.sql creates.</summary>
    private static readonly string[] QueryIndexes = System.Text.RegularExpressions.Regex
        .Matches(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "sql", "0014_query_indexes.sql")), @"^CREATE INDEX IF NOT EXISTS (\w+)", System.Text.RegularExpressions.RegexOptions.Multiline)
        .Select(m => m.Groups[1].Value).ToArray();

    /// <summary>A bare Quartz 4.7.3 clustered store with persisted history on <paramref name="db"/>, started.</summary>
    private static async Task<IHost> StartQuartzAsync(TestDatabase db, bool provision)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<DbDataSource>(NpgsqlDataSource.Create(db.ConnectionString));
        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => { s.InstanceName = "schema-test"; s.InstanceId = "schema-test-node"; });
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(ds => ds.UseRegisteredDataSource = true);
                store.UseSystemTextJsonSerializer();
                store.UseClustering(_ => { });
                store.UseExecutionHistory();
                if (provision)
                {
                    store.ProvisionSchema();
                }
            });
        });
        builder.Services.AddQuartzExecutionHistory(_ => { });
        builder.Services.AddQuartzHostedService(o => o.AwaitApplicationStarted = false);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
            return host;
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
