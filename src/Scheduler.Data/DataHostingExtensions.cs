using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Scheduler.Data.Migrations;

namespace Scheduler.Data;

/// <summary>
/// Registers the process's one <see cref="NpgsqlDataSource"/> (shared with Quartz; Npgsql.DependencyInjection, so it logs through
/// the host's logger factory) and the migration runner.
/// </summary>
public static class DataHostingExtensions
{
    /// <summary>The connection string name: <c>ConnectionStrings:Scheduler</c>, or <c>ConnectionStrings__Scheduler</c> in the environment.</summary>
    public const string ConnectionStringName = "Scheduler";

    /// <summary>How long a session of ours may sit idle inside a transaction before PostgreSQL ends it (default 10 s; 0 disables).</summary>
    public const string IdleInTransactionTimeoutKey = "Scheduler:Database:IdleInTransactionTimeout";

    /// <summary>The <c>application_name</c> of the CLI's connections (its verbs are not cluster nodes).</summary>
    public const string CliApplicationName = "scheduler-cli";

    /// <summary>Quartz's job threads (its default is 10); the pool is sized from it (<see cref="ConnectionDefaults.PoolSize"/>).</summary>
    public const string JobThreadsKey = "Quartz:ThreadPool:MaxConcurrency";

    /// <summary>The HTTP surface's concurrency limit (Scheduler.Web's default is 8); the pool is sized from it.</summary>
    public const string HttpRequestsKey = "Scheduler:Web:MaxConcurrentRequests";

    private const int DefaultJobThreads = 10;
    private const int DefaultHttpRequests = 8;

    /// <summary>Adds the data source; <c>application_name</c> is the node's instance id (<c>Quartz:Scheduler:InstanceId</c>).</summary>
    public static IHostApplicationBuilder AddSchedulerData(this IHostApplicationBuilder builder) =>
        builder.AddSchedulerData(builder.Configuration["Quartz:Scheduler:InstanceId"] is { Length: > 0 } id ? id : "scheduler");

    /// <summary>
    /// Adds the data source built from <c>ConnectionStrings:Scheduler</c>. Every connection carries
    /// <paramref name="applicationName"/> (a node's instance id, or <see cref="CliApplicationName"/>) as <c>application_name</c>,
    /// so <c>pg_stat_activity</c> and the lock-wait logs say which node a session belongs to.
    /// Unless the connection string names <c>Max Pool Size</c>, the pool is job threads + HTTP concurrency +
    /// <see cref="ConnectionDefaults.SchedulerConnections"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The connection string is missing or cannot be parsed; the message names the key.</exception>
    public static IHostApplicationBuilder AddSchedulerData(this IHostApplicationBuilder builder, string applicationName)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "No database configured: set ConnectionStrings:Scheduler (environment: ConnectionStrings__Scheduler), " +
                "e.g. Host=localhost;Port=5432;Username=scheduler;Password=...;Database=scheduler.");
        }

        NpgsqlConnectionStringBuilder parsed;
        try
        {
            parsed = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ConnectionStrings:Scheduler is not a valid Npgsql connection string: {e.Message}", e);
        }

        ConnectionDefaults.ApplicationName(parsed, applicationName);

        // A node frozen inside a transaction (GC pause, SIGSTOP, a VM stalled) must not hold Quartz's lock rows for
        // ever: the server ends such a session after this long, which releases its locks for the live nodes.
        var idleTimeout = builder.Configuration.GetValue<TimeSpan?>(IdleInTransactionTimeoutKey) ?? TimeSpan.FromSeconds(10);
        if (idleTimeout > TimeSpan.Zero && parsed.Options?.Contains("idle_in_transaction_session_timeout", StringComparison.Ordinal) != true)
        {
            parsed.Options = $"{parsed.Options} -c idle_in_transaction_session_timeout={(long)idleTimeout.TotalMilliseconds}".Trim();
        }

        ConnectionDefaults.Apply(parsed);
        if (!connectionString.Contains("Max Pool Size", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            parsed.MaxPoolSize = ConnectionDefaults.PoolSize(
                builder.Configuration.GetValue<int?>(JobThreadsKey) ?? DefaultJobThreads,
                builder.Configuration.GetValue<int?>(HttpRequestsKey) ?? DefaultHttpRequests);
        }

        // Npgsql's own registration: the data source (and DbDataSource) built with the host's logger factory, so Npgsql's
        // warnings reach our log at the level the Serilog section gives "Npgsql". Parameter values are never logged. Named
        // after the application name: Npgsql's metrics label the pool with it instead of the connection string.
        builder.Services.AddNpgsqlDataSource(parsed.ConnectionString, b => b.Name = applicationName);
        builder.Services.AddSingleton(sp => new Failover.NodeLocks(NodeLockDataSource(parsed, applicationName, sp), sp.GetRequiredService<NpgsqlDataSource>()));
        builder.Services.AddSingleton<Locks.StartupProgress>();
        builder.Services.AddOptions<MigrationOptions>()
            .BindConfiguration(MigrationOptions.SectionName)
            .Validate(o => o.LockTimeout >= TimeSpan.FromMilliseconds(100) && o.LockTimeout <= TimeSpan.FromMinutes(10),
                $"{MigrationOptions.SectionName}:LockTimeout must be between 00:00:00.1 and 00:10:00.")
            .Validate(o => o.LockRetries is >= 0 and <= 100, $"{MigrationOptions.SectionName}:LockRetries must be between 0 and 100.")
            .ValidateOnStart();
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<Health.DatabaseWriteProbe>();
        builder.Services.AddSingleton<Ledger.OccurrenceLedger>();
        builder.Services.AddSingleton<Operations.AuditLog>();
        builder.Services.AddSingleton<Operations.SessionStore>();
        builder.Services.AddSingleton<Operations.NodeInfoStore>();
        builder.Services.AddSingleton<Operations.OccurrenceQueries>();
        builder.Services.AddSingleton<Operations.TriggerErrorStore>();
        builder.Services.AddSingleton<Operations.ExecutionCounts>();
        builder.Services.AddSingleton<Telemetry.ClusterStateQueries>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }

    /// <summary>
    /// The node locks' own data source (<see cref="Failover.NodeLocks"/>): the same server and role, unpooled (each of its few
    /// connections lives as long as the node), with TCP keepalives so a wait on a server that vanished without a word ends.
    /// </summary>
    private static NpgsqlDataSource NodeLockDataSource(NpgsqlConnectionStringBuilder parsed, string applicationName, IServiceProvider services)
    {
        var locks = new NpgsqlConnectionStringBuilder(parsed.ConnectionString) { Pooling = false };
        if (locks.TcpKeepAliveTime == 0)
        {
            locks.TcpKeepAliveTime = 10;
            locks.TcpKeepAliveInterval = 5;
        }

        var dataSource = new NpgsqlDataSourceBuilder(locks.ConnectionString) { Name = applicationName + "-locks" };
        if (services.GetService<Microsoft.Extensions.Logging.ILoggerFactory>() is { } loggers)
        {
            dataSource.UseLoggerFactory(loggers);
        }

        return dataSource.Build();
    }
}
