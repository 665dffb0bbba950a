using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Scheduler.Data.Migrations;

namespace Scheduler.Data;

/// <summary>Registers the process's one <see cref="NpgsqlDataSource"/> (shared with Quartz) and the migration runner.</summary>
public static class DataHostingExtensions
{
    /// <summary>The connection string name: <c>ConnectionStrings:Scheduler</c>, or <c>ConnectionStrings__Scheduler</c> in the environment.</summary>
    public const string ConnectionStringName = "Scheduler";

    /// <summary>Adds the data source built from <c>ConnectionStrings:Scheduler</c>.</summary>
    /// <exception cref="InvalidOperationException">The connection string is missing or cannot be parsed; the message names the key.</exception>
    public static IHostApplicationBuilder AddSchedulerData(this IHostApplicationBuilder builder)
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

        if (string.IsNullOrEmpty(parsed.ApplicationName))
        {
            parsed.ApplicationName = "scheduler";
        }

        builder.Services.AddSingleton(sp => new NpgsqlDataSourceBuilder(parsed.ConnectionString).Build());
        builder.Services.AddSingleton<DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<Ledger.OccurrenceLedger>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        return builder;
    }
}
