using Npgsql;

namespace Scheduler.Data.Telemetry;

/// <summary>What the metrics sample from the store: two small reads, one round trip.</summary>
public sealed class ClusterStateQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Reads <see cref="ClusterSnapshot"/> for <paramref name="schedulerName"/>.</summary>
    public async Task<ClusterSnapshot> ReadAsync(string schedulerName, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var errors = new NpgsqlBatchCommand(
            """
            SELECT job_group || '.' || job_name, count(*)
            FROM qrtz_triggers
            WHERE sched_name = @sched AND trigger_state = 'ERROR'
            GROUP BY job_group, job_name
            """);
        errors.Parameters.AddWithValue("sched", schedulerName);
        // Quartz keeps check-ins as .NET ticks; the age is measured on the database's clock, as Quartz's peers judge it.
        var checkins = new NpgsqlBatchCommand(
            """
            SELECT instance_name,
                   (extract(epoch FROM clock_timestamp()) - (last_checkin_time - 621355968000000000) / 1e7)::float8
            FROM qrtz_scheduler_state
            WHERE sched_name = @sched
            """);
        checkins.Parameters.AddWithValue("sched", schedulerName);
        batch.BatchCommands.Add(errors);
        batch.BatchCommands.Add(checkins);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var inError = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            inError[reader.GetString(0)] = reader.GetInt64(1);
        }

        await reader.NextResultAsync(cancellationToken);
        var ages = new Dictionary<string, double>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            ages[reader.GetString(0)] = Math.Max(0, reader.GetDouble(1));
        }

        return new ClusterSnapshot(inError, ages);
    }
}
