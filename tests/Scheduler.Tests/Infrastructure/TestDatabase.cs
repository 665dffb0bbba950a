using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Scheduler.Data.Migrations;

namespace Scheduler.Tests.Infrastructure;

/// <summary>A fresh, empty database on the test server for one test class or test; dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly bool owned = true;

    private TestDatabase(string name)
    {
        Name = name;
        ConnectionString = TestEnvironment.ConnectionStringFor(name);
        DataSource = NpgsqlDataSource.Create(ConnectionString);
    }

    private TestDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        DataSource = NpgsqlDataSource.Create(connectionString);
        owned = false;
    }

    /// <summary>A database on another server (the failover test's primary or standby): queried, never dropped.</summary>
    public static TestDatabase Attach(string connectionString) =>
        new(new NpgsqlConnectionStringBuilder(connectionString).Database ?? "", connectionString);

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>A pool on this database for the test's own queries.</summary>
    public NpgsqlDataSource DataSource { get; }

    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var name = $"t_{purpose[..Math.Min(purpose.Length, 24)]}_{Guid.NewGuid():N}".ToLowerInvariant();
        await using var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", admin);
        await create.ExecuteNonQueryAsync();
        return new TestDatabase(name);
    }

    /// <summary>A fresh database with the core schema applied, as `scheduler migrate` leaves it (and the sample module if asked).</summary>
    public static async Task<TestDatabase> CreateMigratedAsync(string purpose, bool withSamples = false)
    {
        var db = await CreateAsync(purpose);
        var runner = new MigrationRunner(db.DataSource, NullLogger<MigrationRunner>.Instance);
        await (withSamples ? runner.WithModules(Migration.SamplesModule) : runner).ApplyAsync(CancellationToken.None);
        return db;
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (n, v) in parameters)
        {
            command.Parameters.AddWithValue(n, v);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default! : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (!owned)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
