using Scheduler.Data.Migrations;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Data;

public sealed class MigrationCatalogTests
{
    [Fact]
    public void The_binary_ships_exactly_the_sql_files_of_the_repository_with_their_checksums()
    {
        // roles.sql is not a migration: a superuser runs it by hand, once.
        var files = Directory.GetFiles(Path.Combine(TestEnvironment.RepositoryRoot, "sql"), "*.sql")
            .Where(f => Path.GetFileName(f) != "roles.sql")
            .Order(StringComparer.Ordinal)
            .Select(f => MigrationCatalog.Parse(Path.GetFileName(f), File.ReadAllText(f)))
            .ToList();

        Assert.Equal(files, MigrationCatalog.All);
    }

    /// <summary>
    /// A migration a database has applied never changes: `migrate` refuses a file whose checksum differs from the one it
    /// recorded, so an edited released file would stop every upgrade. ReleasedMigrations.sha256 (sha256sum's format) lists
    /// each released file; a new migration is appended there when it ships, never edited after.
    /// </summary>
    [Fact]
    public void A_released_migration_is_never_edited()
    {
        var released = File.ReadAllLines(Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Scheduler.Tests", "Data", "ReleasedMigrations.sha256"))
            .Where(l => l.Length > 0)
            .Select(l => l.Split("  ", 2))
            .ToList();

        Assert.NotEmpty(released);
        foreach (var (checksum, name) in released.Select(p => (p[0], p[1])))
        {
            var shipped = MigrationCatalog.All.SingleOrDefault(m => m.Name == name);
            Assert.True(shipped is not null, $"{name} was released and is no longer shipped.");
            Assert.True(shipped.Checksum == checksum, $"{name} was edited after its release (released {checksum}, now {shipped.Checksum}): restore it and add a new migration instead.");
        }
    }

    [Fact]
    public void Checksums_ignore_line_ending_style()
    {
        var lf = MigrationCatalog.Parse("0001_a.sql", "SELECT 1;\nSELECT 2;\n");
        var crlf = MigrationCatalog.Parse("0001_a.sql", "SELECT 1;\r\nSELECT 2;\r\n");

        Assert.Equal(lf.Checksum, crlf.Checksum);
        Assert.Equal(64, lf.Checksum.Length);
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("0001-dash.sql")]
    [InlineData("0001_name.txt")]
    public void A_file_not_named_NNNN_description_sql_is_refused_by_name(string name)
    {
        var error = Assert.Throws<InvalidOperationException>(() => MigrationCatalog.Parse(name, "SELECT 1;"));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }
}
