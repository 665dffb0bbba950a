using Microsoft.Extensions.Logging.Abstractions;
using Scheduler.Data.Migrations;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Data;

public sealed class MigrationRunnerTests
{
    private static MigrationRunner RunnerFor(TestDatabase db) => new(db.DataSource, NullLogger<MigrationRunner>.Instance);

    [Fact]
    public async Task Migrations_apply_to_an_empty_database_and_record_each_version_with_its_checksum()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_empty");

        var applied = await RunnerFor(db).ApplyAsync(CancellationToken.None);

        Assert.Equal(MigrationCatalog.Core.Select(m => m.Name), applied.Select(m => m.Name));
        var recorded = await db.ListAsync("SELECT version, name, checksum FROM schema_migrations ORDER BY version",
            r => (r.GetInt32(0), r.GetString(1), r.GetString(2)));
        Assert.Equal(MigrationCatalog.Core.Select(m => (m.Version, m.Name, m.Checksum)), recorded);
        Assert.Equal(15, await db.ScalarAsync<long>(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'qrtz\\_%'"));
    }

    [Fact]
    public async Task Applying_twice_applies_nothing_the_second_time_and_keeps_the_data()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_twice");
        await RunnerFor(db).ApplyAsync(CancellationToken.None);
        await db.ExecuteAsync(
            "INSERT INTO scheduler_heartbeat (sched_name, instance_id, job_name, fired_at, fire_instance_id) VALUES ('s', 'n', 'j', now(), 'f')");

        var second = await RunnerFor(db).ApplyAsync(CancellationToken.None);

        Assert.Empty(second);
        Assert.True((await RunnerFor(db).PlanAsync(CancellationToken.None)).IsCurrent);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat"));
    }

    [Fact]
    public async Task Every_shipped_file_is_safe_to_run_twice_by_hand()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_rerun");
        foreach (var migration in MigrationCatalog.All)
        {
            await db.ExecuteAsync(migration.Sql);
            await db.ExecuteAsync(migration.Sql);
        }

        var catalog = await db.ScalarAsync<long>(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'");
        Assert.True(catalog > 15, $"expected the schema's objects, found {catalog}");
    }

    [Fact]
    public async Task A_modified_applied_migration_is_refused_naming_the_file()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_modified");
        await RunnerFor(db).ApplyAsync(CancellationToken.None);
        var tampered = MigrationCatalog.All
            .Select(m => m.Version == 4 ? MigrationCatalog.Parse(m.Name, m.Sql + "\n-- edited\n") : m)
            .ToList();

        var error = await Assert.ThrowsAsync<SchemaException>(
            () => RunnerFor(db).WithMigrations(tampered).ApplyAsync(CancellationToken.None));

        Assert.Contains("0004_heartbeat.sql was modified", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_migration_is_rolled_back_whole_and_named()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_failing");
        var broken = MigrationCatalog.Parse("0099_broken.sql",
            "CREATE TABLE half_done (id int);\nALTER TABLE no_such_table ADD COLUMN x int;\n");
        var runner = RunnerFor(db).WithMigrations([.. MigrationCatalog.Core, broken]);

        var error = await Assert.ThrowsAsync<SchemaException>(() => runner.ApplyAsync(CancellationToken.None));

        Assert.Contains("0099_broken.sql failed and was rolled back", error.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
        Assert.Null(await db.ScalarAsync<string?>("SELECT to_regclass('half_done')::text"));
        Assert.Equal(MigrationCatalog.Core.Count, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task A_schema_behind_names_the_first_missing_migration()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_behind");
        await RunnerFor(db).WithMigrations(MigrationCatalog.All.Take(2).ToList()).ApplyAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<SchemaException>(() => RunnerFor(db).EnsureCurrentAsync(CancellationToken.None));

        Assert.Contains($"migration {MigrationCatalog.All[2].Name} has not been applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_runners_apply_each_migration_exactly_once()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_concurrent");

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => RunnerFor(db).ApplyAsync(CancellationToken.None)));

        Assert.Equal(MigrationCatalog.Core.Count, results.Sum(r => r.Count));
        Assert.Equal(MigrationCatalog.Core.Count, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task The_sample_module_is_applied_only_when_asked_and_a_schema_without_it_is_current()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_samples");

        await RunnerFor(db).ApplyAsync(CancellationToken.None);
        await RunnerFor(db).EnsureCurrentAsync(CancellationToken.None);
        var withoutSamples = await db.ScalarAsync<string?>("SELECT to_regnamespace('sample')::text");
        var applied = await RunnerFor(db).WithModules(Migration.SamplesModule).ApplyAsync(CancellationToken.None);

        Assert.Null(withoutSamples);
        Assert.Equal(["0100_sample_tasks.sql", "0101_example_sessions.sql"], applied.Select(m => m.Name));
        Assert.Equal("sample", await db.ScalarAsync<string?>("SELECT to_regnamespace('sample')::text"));
        Assert.True((await RunnerFor(db).PlanAsync(CancellationToken.None)).IsCurrent);
    }

    [Fact]
    public async Task A_migration_that_cannot_get_its_table_lock_gives_up_after_the_lock_timeout_and_is_retried_until_it_can()
    {
        await using var db = await TestDatabase.CreateAsync("migrate_locktimeout");
        await RunnerFor(db).ApplyAsync(CancellationToken.None);
        var alter = MigrationCatalog.Parse("0099_alter.sql", "ALTER TABLE scheduler_heartbeat ADD COLUMN IF NOT EXISTS note text;\n");
        var options = new MigrationOptions { LockTimeout = TimeSpan.FromMilliseconds(200), LockRetries = 1 };
        MigrationRunner Runner() => new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance, options, null, TimeProvider.System)
            .WithMigrations([.. MigrationCatalog.Core, alter]);

        // A long transaction (a report, a stuck job) holds a lock the ALTER needs: the migration gives up and says why.
        await using (var reader = await db.DataSource.OpenConnectionAsync())
        await using (var transaction = await reader.BeginTransactionAsync())
        {
            await new Npgsql.NpgsqlCommand("LOCK TABLE scheduler_heartbeat IN ACCESS SHARE MODE", reader, transaction).ExecuteNonQueryAsync();
            var error = await Assert.ThrowsAsync<SchemaException>(() => Runner().ApplyAsync(CancellationToken.None));
            Assert.Contains("0099_alter.sql could not lock a table", error.Message, StringComparison.Ordinal);

            // Released while the runner waits between attempts: the retry applies it.
            var retried = Runner().ApplyAsync(CancellationToken.None);
            await Task.Delay(500);
            await transaction.RollbackAsync();
            Assert.Equal(["0099_alter.sql"], (await retried).Select(m => m.Name));
        }

        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'scheduler_heartbeat' AND column_name = 'note'"));
    }
}
