using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Scheduler.Data.Locks;

namespace Scheduler.Data.Migrations;

/// <summary>
/// Applies the shipped <c>sql/</c> migrations: in version order, one transaction each, under a PostgreSQL
/// advisory lock so that any number of nodes or <c>migrate</c> calls may start at once. Each transaction runs with a
/// <c>lock_timeout</c> and is retried, and as the owner role of sql/roles.sql when there is one.
/// </summary>
public sealed partial class MigrationRunner(
    NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger, MigrationOptions options, StartupProgress? progress, TimeProvider clock)
{
    /// <summary>The advisory lock key every migrating process takes; documented in sql/README.md.</summary>
    public const long AdvisoryLockKey = 83610001;

    /// <summary>SQLSTATE of <c>lock_timeout</c> expiring.</summary>
    private const string LockNotAvailable = "55P03";

    private IReadOnlyList<Migration> migrations = MigrationCatalog.All;
    private HashSet<int> requestedModules = [0];

    /// <summary>With the defaults (tests, tools): 5 s lock timeout, 5 retries, owner role <c>scheduler_owner</c>.</summary>
    public MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
        : this(dataSource, logger, new MigrationOptions(), null, TimeProvider.System)
    {
    }

    /// <summary>What dependency injection uses: options from <c>Scheduler:Database:Migrations</c>.</summary>
    public MigrationRunner(
        NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger, IOptions<MigrationOptions> options, StartupProgress progress, TimeProvider clock)
        : this(dataSource, logger, options.Value, progress, clock)
    {
    }

    /// <summary>Also applies the optional modules numbered <paramref name="modules"/> (1: the samples, sql/0100–0199).</summary>
    public MigrationRunner WithModules(params int[] modules)
    {
        requestedModules = [0, .. modules];
        return this;
    }

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
        await AdvisoryLock.AcquireAsync(connection, AdvisoryLockKey, "migration", logger, progress, clock, cancellationToken);
        try
        {
            // Planned only once the lock is held: a concurrent migrator may have applied everything meanwhile.
            var plan = await PlanAsync(connection, cancellationToken);
            var role = plan.Pending.Count == 0 ? null : await OwnerRoleAsync(connection, cancellationToken);
            foreach (var migration in plan.Pending)
            {
                await ApplyWithRetriesAsync(connection, migration, role, cancellationToken);
            }

            if (plan.Pending.Count == 0)
            {
                LogCurrent(logger, plan.AppliedVersions.Count == 0 ? 0 : plan.AppliedVersions.Max());
            }

            return plan.Pending;
        }
        finally
        {
            await AdvisoryLock.ReleaseAsync(connection, AdvisoryLockKey);
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
        var modules = applied.Keys.Select(v => v / 100).Concat(requestedModules).ToHashSet();
        return new MigrationPlan(
            migrations.Where(m => !applied.ContainsKey(m.Version) && modules.Contains(m.Module)).ToList(),
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

    /// <summary>
    /// The owner role to switch to: when it exists, this login may use it, and it may create in the schema (sql/roles.sql ran
    /// on this database; roles are cluster-wide, so existing is not enough). Null otherwise.
    /// </summary>
    private async Task<string?> OwnerRoleAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.OwnerRole))
        {
            return null;
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = @role)
               AND pg_has_role(@role, 'MEMBER')
               AND has_schema_privilege(@role, current_schema(), 'CREATE')
            """, connection);
        command.Parameters.AddWithValue("role", options.OwnerRole);
        var usable = (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        if (usable)
        {
            LogOwnerRole(logger, options.OwnerRole);
        }

        return usable ? options.OwnerRole : null;
    }

    private async Task ApplyWithRetriesAsync(NpgsqlConnection connection, Migration migration, string? role, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyOneAsync(connection, migration, role, cancellationToken);
                return;
            }
            catch (SchemaException e) when (e.InnerException is PostgresException { SqlState: LockNotAvailable } && attempt <= options.LockRetries)
            {
                var pause = TimeSpan.FromSeconds(Math.Min(30, 2 * attempt));
                LogLockTimeout(logger, migration.Name, options.LockTimeout.TotalSeconds, attempt, options.LockRetries, pause.TotalSeconds);
                await Task.Delay(pause, clock, cancellationToken);
            }
        }
    }

    private async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, string? role, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // SET LOCAL: both end with the transaction, so the session (and the pool) keeps its own settings.
            var setup = $"SET LOCAL lock_timeout = '{(long)options.LockTimeout.TotalMilliseconds}ms'" +
                        (role is null ? "" : $"; SET LOCAL ROLE \"{role.Replace("\"", "\"\"", StringComparison.Ordinal)}\"");
            await using (var settings = new NpgsqlCommand(setup, connection, transaction))
            {
                await settings.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var body = new NpgsqlCommand(migration.Sql, connection, transaction))
            {
                body.CommandTimeout = 0;
                await body.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var record = new NpgsqlCommand(
                """
                INSERT INTO schema_migrations (version, name, checksum, execution_ms, applied_by)
                VALUES (@version, @name, @checksum, @ms, session_user)
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
        catch (PostgresException e) when (e.SqlState == LockNotAvailable)
        {
            throw new SchemaException(
                $"Migration {migration.Name} could not lock a table within {options.LockTimeout.TotalSeconds} s " +
                $"(Scheduler:Database:Migrations:LockTimeout) after {options.LockRetries} retries and was rolled back: {e.MessageText}. " +
                "A long transaction holds it: find it in pg_stat_activity (oldest xact_start), end it or wait, then migrate again.", e);
        }
        catch (PostgresException e)
        {
            throw new SchemaException($"Migration {migration.Name} failed and was rolled back: {e.MessageText} (SQLSTATE {e.SqlState}).", e);
        }

        LogApplied(logger, migration.Name, stopwatch.ElapsedMilliseconds);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Migrating as role {Role} (sql/roles.sql): new objects are owned by it")]
    private static partial void LogOwnerRole(ILogger logger, string role);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Migration {Migration} waited {LockTimeoutSeconds} s for a table lock and was rolled back (attempt {Attempt} of {Retries} retries); retrying in {PauseSeconds} s")]
    private static partial void LogLockTimeout(ILogger logger, string migration, double lockTimeoutSeconds, int attempt, int retries, double pauseSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration} in {ElapsedMs} ms")]
    private static partial void LogApplied(ILogger logger, string migration, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema is current at version {Version}; nothing to apply")]
    private static partial void LogCurrent(ILogger logger, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database has migrations this binary does not ship ({Versions}): a newer version migrated it")]
    private static partial void LogNewerSchema(ILogger logger, string versions);
}
