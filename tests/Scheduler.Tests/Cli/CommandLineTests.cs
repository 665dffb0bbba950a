using Microsoft.Extensions.Logging.Abstractions;
using Scheduler.Data.Migrations;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cli;

/// <summary>The verbs ops scripts call, run as the real binary: exit codes, stderr, and what they leave in the database.</summary>
public sealed class CommandLineTests
{
    private static readonly TimeSpan VerbTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_node_started_against_an_unmigrated_database_fails_fast_naming_the_missing_migration()
    {
        await using var db = await TestDatabase.CreateAsync("cli_unmigrated");

        await using var run = await SchedulerProcess.RunAsync(["run"], NodeEnvironment.For(db, "n1"), VerbTimeout);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("migration 0001_schema_migrations.sql has not been applied", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("scheduler migrate", run.StandardError, StringComparison.Ordinal);
        Assert.Null(await db.ScalarAsync<string?>("SELECT to_regclass('qrtz_triggers')::text"));
    }

    [Fact]
    public async Task A_node_behind_by_one_migration_names_exactly_that_one()
    {
        await using var db = await TestDatabase.CreateAsync("cli_behind");
        await new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance)
            .WithMigrations(MigrationCatalog.Core.SkipLast(1).ToList()).ApplyAsync(CancellationToken.None);

        await using var run = await SchedulerProcess.RunAsync(["run"], NodeEnvironment.For(db, "n1"), VerbTimeout);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"migration {MigrationCatalog.Core[^1].Name} has not been applied", run.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_dry_run_lists_what_it_would_apply_and_changes_nothing()
    {
        await using var db = await TestDatabase.CreateAsync("cli_dryrun");

        await using var dryRun = await SchedulerProcess.RunAsync(["migrate", "--dry-run"], NodeEnvironment.For(db), VerbTimeout);

        Assert.Equal(0, dryRun.ExitCode);
        foreach (var migration in MigrationCatalog.Core)
        {
            Assert.Contains(migration.Name, dryRun.StandardOutput, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("0100_sample_tasks.sql", dryRun.StandardOutput, StringComparison.Ordinal);

        Assert.Null(await db.ScalarAsync<string?>("SELECT to_regclass('schema_migrations')::text"));
    }

    [Fact]
    public async Task Migrate_applies_everything_then_reports_the_schema_current()
    {
        await using var db = await TestDatabase.CreateAsync("cli_migrate");

        await using var first = await SchedulerProcess.RunAsync(["migrate"], NodeEnvironment.For(db), VerbTimeout);
        await using var second = await SchedulerProcess.RunAsync(["migrate"], NodeEnvironment.For(db), VerbTimeout);
        await using var validate = await SchedulerProcess.RunAsync(["validate"], NodeEnvironment.For(db), VerbTimeout);

        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.Contains($"Applied {MigrationCatalog.Core.Count} migration(s)", first.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("nothing to apply", second.StandardOutput, StringComparison.Ordinal);
        Assert.True(validate.ExitCode == 0, validate.Describe());
    }

    [Fact]
    public async Task Migrate_without_a_connection_string_names_the_setting()
    {
        var env = new Dictionary<string, string?> { ["ConnectionStrings__Scheduler"] = "" };

        await using var migrate = await SchedulerProcess.RunAsync(["migrate"], env, VerbTimeout);

        Assert.Equal(1, migrate.ExitCode);
        Assert.Contains("ConnectionStrings__Scheduler", migrate.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Scheduler__Shutdown__DrainTimeout", "00:00:00", "Scheduler:Shutdown:DrainTimeout")]
    [InlineData("Scheduler__Shutdown__DrainTimeout", "soon", "Scheduler:Shutdown:DrainTimeout")]
    [InlineData("Scheduler__Jobs__heartbeat__Cron", "every minute", "Scheduler:Jobs:heartbeat:Cron")]
    [InlineData("Scheduler__Logging__Format", "xml", "Scheduler:Logging:Format")]
    [InlineData("Quartz__ThreadPool__MaxConcurrency", "abc", "Quartz:ThreadPool:MaxConcurrency")]
    [InlineData("Quartz__JobStore__Clustering__CheckinInterval", "soon", "Quartz:JobStore:Clustering:CheckinInterval")]
    public async Task An_invalid_setting_stops_validate_and_the_node_naming_the_key(string variable, string value, string key)
    {
        await using var db = await TestDatabase.CreateAsync("cli_badsetting");
        await new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        var env = NodeEnvironment.For(db, "n1", (variable, value));

        await using var validate = await SchedulerProcess.RunAsync(["validate"], env, VerbTimeout);
        await using var run = await SchedulerProcess.RunAsync(["run"], env, VerbTimeout);

        Assert.Equal(1, validate.ExitCode);
        Assert.Contains(key, validate.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(key, run.StandardError, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers"));
    }

    [Fact]
    public async Task The_shipped_example_schedules_validate_and_forecast_their_next_fire_times()
    {
        var example = Path.Combine(TestEnvironment.RepositoryRoot, "config", "schedules.example.json");

        await using var validate = await SchedulerProcess.RunAsync(
            ["validate", "--config", example, "--offline", "--next", "2"], new Dictionary<string, string?> { ["ConnectionStrings__Scheduler"] = "Host=unused" }, VerbTimeout);

        Assert.True(validate.ExitCode == 0, validate.Describe());
        Assert.Contains("Configuration: OK (6 scheduled job(s))", validate.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("sample.daily-summary (DailySummaryJob, Europe/Berlin)", validate.StandardOutput, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} 09:00:00 \+0[12]:00 Europe/Berlin", validate.StandardOutput);
    }

    [Fact]
    public async Task A_missing_config_file_is_named()
    {
        await using var db = await TestDatabase.CreateAsync("cli_config");

        await using var validate = await SchedulerProcess.RunAsync(
            ["validate", "--config", "/nonexistent/schedules.json"], NodeEnvironment.For(db), VerbTimeout);

        Assert.Equal(1, validate.ExitCode);
        Assert.Contains("/nonexistent/schedules.json", validate.StandardError, StringComparison.Ordinal);
    }
}
