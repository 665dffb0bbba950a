using Npgsql;

namespace Scheduler.Bench;

/// <summary>The driver's own access to the scheduler database: reading results, and clearing what a bench cluster left.</summary>
public sealed class BenchDatabase(NpgsqlDataSource dataSource)
{
    // Child tables first; every table keyed by sched_name that a bench cluster can write to.
    private static readonly string[] ClusterTables =
    [
        "qrtz_fired_triggers", "qrtz_simple_triggers", "qrtz_cron_triggers", "qrtz_simprop_triggers", "qrtz_blob_triggers",
        "qrtz_triggers", "qrtz_job_details", "qrtz_calendars", "qrtz_paused_trigger_grps", "qrtz_paused_job_grps",
        "qrtz_scheduler_state", "qrtz_locks", "qrtz_execution_history", "qrtz_misfire_history", "qrtz_job_status",
        "scheduler_heartbeat", "scheduler_occurrences", "scheduler_suppressed_duplicates", "scheduler_config_jobs",
    ];

    /// <summary>Starts every statement the driver runs, so pg_stat_statements keeps them apart from the nodes' (see CostMeter).</summary>
    public const string DriverMarker = "/* bench-driver */";

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>The first column of the first row, or default when there is none or it is NULL.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every row, each as its column values.</summary>
    public async Task<List<object?[]>> RowsAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    public async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(sql, parameters);
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Deletes every row of the cluster <paramref name="instanceName"/>. Call only while none of its nodes runs.</summary>
    public async Task ClearClusterAsync(string instanceName)
    {
        foreach (var table in ClusterTables)
        {
            await ExecuteAsync($"DELETE FROM {table} WHERE sched_name = @s", ("s", instanceName));
        }
    }

    /// <summary>PostgreSQL's version string.</summary>
    public Task<string?> VersionAsync() => ScalarAsync<string>("SHOW server_version");

    private NpgsqlCommand Command(string sql, (string Name, object Value)[] parameters)
    {
        var command = dataSource.CreateCommand(sql.StartsWith(DriverMarker, StringComparison.Ordinal) ? sql : $"{DriverMarker} {sql}");
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}
