using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Scheduler.Data.Migrations;

/// <summary>
/// Applies the shipped <c>sql/</c> migrations: in version order, one transaction each, under a PostgreSQL
/// advisory lock so that any number of nodes or <c>migrate</c> calls may start at once.
/// </summary>
public sealed partial class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    /// <summary>The advisory lock key every migrating process takes; documented in sql/README.md.</summary>
    public const long AdvisoryLockKey = 83610001;

    private IReadOnlyList<Migration> migrations = MigrationCatalog.All;

    /// <summary>Replaces the shipped migrations (tests only).</summary>
    public MigrationRunner WithMigrations(IReadOnlyList<Migration> replacement)
    {
        migrations = replacement;
        return this;
    }

    /// <summary>Reads what is applied and returns what would be applied, without changing anything.</summary>
    /// <exception cref="SchemaException">An applied migration's text differs from the shipped file.</exception>
    public async Task<MigrationPlan> PlanAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await PlanAsync(connection, cancellationToken);
    }

    /// <summary>Applies every pending migration and returns the ones it applied (none when the schema is current).</summary>
    /// <exception cref="SchemaException">An applied migration was modified, or a migration failed (it is rolled back).</exception>
    public async Task<IReadOnlyList<Migration>> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_lock(@key)", AdvisoryLockKey, cancellationToken);
        try
        {
            // Planned only once the lock is held: a concurrent migrator may have applied everything meanwhile.
            var plan = await PlanAsync(connection, cancellationToken);
            foreach (var migration in plan.Pending)
            {
                await ApplyOneAsync(connection, migration, cancellationToken);
            }

            if (plan.Pending.Count == 0)
            {
                LogCurrent(logger, plan.AppliedVersions.Count == 0 ? 0 : plan.AppliedVersions.Max());
            }

            return plan.Pending;
        }
        finally
        {
            await ExecuteAsync(connection, "SELECT pg_advisory_unlock(@key)", AdvisoryLockKey, CancellationToken.None);
        }
    }

    /// <summary>Throws unless every shipped migration is applied; the message names the first missing file.</summary>
    /// <exception cref="SchemaException">The schema is behind or was modified.</exception>
    public async Task EnsureCurrentAsync(CancellationToken cancellationToken)
    {
        var plan = await PlanAsync(cancellationToken);
        if (!plan.IsCurrent)
        {
            var names = string.Join(", ", plan.Pending.Select(m => m.Name));
            throw new SchemaException(
                $"The database schema is behind this binary: migration {plan.Pending[0].Name} has not been applied " +
                $"(missing: {names}). Run `scheduler migrate` or start the node with `run --migrate`.");
        }

        if (plan.UnknownVersions.Count > 0)
        {
            LogNewerSchema(logger, string.Join(", ", plan.UnknownVersions));
        }
    }

    private async Task<MigrationPlan> PlanAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = await ReadAppliedAsync(connection, cancellationToken);
        foreach (var migration in migrations)
        {
            if (applied.TryGetValue(migration.Version, out var row) && row.Checksum != migration.Checksum)
            {
                throw new SchemaException(
                    $"Migration {migration.Name} was modified after it was applied as {row.Name} " +
                    $"(database checksum {row.Checksum}, file checksum {migration.Checksum}). " +
                    "An applied migration must never change: restore the file and add a new migration instead.");
            }
        }

        var shipped = migrations.Select(m => m.Version).ToHashSet();
        return new MigrationPlan(
            migrations.Where(m => !applied.ContainsKey(m.Version)).ToList(),
            applied.Keys.Order().ToList(),
            applied.Keys.Where(v => !shipped.Contains(v)).Order().ToList());
    }

    private static async Task<Dictionary<int, (string Name, string Checksum)>> ReadAppliedAsync(
        NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var result = new Dictionary<int, (string, string)>();
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return result;
            }
        }

        await using var command = new NpgsqlCommand("SELECT version, name, checksum FROM schema_migrations", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
        }

        return result;
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using (var body = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                body.CommandTimeout = 0;
                await body.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                """
                INSERT INTO schema_migrations (version, name, checksum, execution_ms)
                VALUES (@version, @name, @checksum, @ms)
                """, connection, transaction))
            {
                record.Parameters.AddWithValue("version", migration.Version);
                record.Parameters.AddWithValue("name", migration.Name);
                record.Parameters.AddWithValue("checksum", migration.Checksum);
                record.Parameters.AddWithValue("ms", (int)stopwatch.ElapsedMilliseconds);
                await record.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw new SchemaException($"Migration {migration.Name} failed and was rolled back: {e.MessageText} (SQLSTATE {e.SqlState}).", e);
        }

        LogApplied(logger, migration.Name, stopwatch.ElapsedMilliseconds);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", key);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration} in {ElapsedMs} ms")]
    private static partial void LogApplied(ILogger logger, string migration, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema is current at version {Version}; nothing to apply")]
    private static partial void LogCurrent(ILogger logger, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migrations this binary does not ship ({Versions}): a newer version migrated it")]
    private static partial void LogNewerSchema(ILogger logger, string versions);
}
