using Npgsql;
using Scheduler.Data.Locks;

namespace Scheduler.Data.Schedules;

/// <summary>One connection holding the reconcile lock (see <see cref="ConfigJobStore.LockAsync"/>); disposing it releases the lock.</summary>
public sealed class ConfigJobSession : IAsyncDisposable
{
    private readonly NpgsqlConnection connection;

    internal ConfigJobSession(NpgsqlConnection connection) => this.connection = connection;

    /// <summary>The jobs of <paramref name="schedName"/> that configuration owns, with the fingerprint last applied to each.</summary>
    public async Task<IReadOnlyDictionary<ConfigJobKey, string>> ReadOwnedAsync(string schedName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT job_group, job_name, fingerprint FROM scheduler_config_jobs WHERE sched_name = @sched", connection);
        command.Parameters.AddWithValue("sched", schedName);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var owned = new Dictionary<ConfigJobKey, string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            owned[new ConfigJobKey(schedName, reader.GetString(0), reader.GetString(1))] = reader.GetString(2);
        }

        return owned;
    }

    /// <summary>Records that configuration owns <paramref name="job"/>, as applied now; <paramref name="definitionJson"/> is a JSON object.</summary>
    public async Task RecordAsync(
        ConfigJobKey job, string entryName, string fingerprint, string definitionJson, string appliedBy, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO scheduler_config_jobs (sched_name, job_group, job_name, entry_name, fingerprint, definition, applied_by)
            VALUES (@sched, @group, @name, @entry, @fingerprint, @definition::jsonb, @by)
            ON CONFLICT (sched_name, job_group, job_name) DO UPDATE
               SET entry_name = excluded.entry_name, fingerprint = excluded.fingerprint, definition = excluded.definition,
                   applied_at = now(), applied_by = excluded.applied_by
            """, connection);
        command.Parameters.AddWithValue("sched", job.SchedName);
        command.Parameters.AddWithValue("group", job.Group);
        command.Parameters.AddWithValue("name", job.Name);
        command.Parameters.AddWithValue("entry", entryName);
        command.Parameters.AddWithValue("fingerprint", fingerprint);
        command.Parameters.AddWithValue("definition", definitionJson);
        command.Parameters.AddWithValue("by", appliedBy);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Forgets <paramref name="job"/> (its entry left configuration and the job was deleted).</summary>
    public async Task ForgetAsync(ConfigJobKey job, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "DELETE FROM scheduler_config_jobs WHERE sched_name = @sched AND job_group = @group AND job_name = @name", connection);
        command.Parameters.AddWithValue("sched", job.SchedName);
        command.Parameters.AddWithValue("group", job.Group);
        command.Parameters.AddWithValue("name", job.Name);
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await AdvisoryLock.ReleaseAsync(connection, ConfigJobStore.ReconcileLockKey);
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
