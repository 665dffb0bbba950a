using Npgsql;
using NpgsqlTypes;

namespace Scheduler.Data.Operations;

/// <summary>
/// Why Quartz put a trigger in ERROR, in <c>scheduler_trigger_errors</c> (sql/0012): recorded by the node that saw the
/// cause, read by the API, the dashboard, <c>scheduler reset</c> and DBAs, cleared when an operator resets the trigger.
/// </summary>
public sealed class TriggerErrorStore(NpgsqlDataSource dataSource)
{
    /// <summary>The most characters of a cause kept.</summary>
    public const int MaxCauseLength = 2000;

    /// <summary>
    /// Records <paramref name="cause"/> for one trigger of the job, or for every trigger of it when <paramref name="triggerGroup"/>
    /// is null (Quartz errors all of a job's triggers when the job cannot be built). <paramref name="overwrite"/> false keeps a
    /// cause already recorded (a later notice that only says the trigger is in ERROR does not hide why).
    /// </summary>
    public async Task RecordAsync(
        string schedulerName, string jobGroup, string jobName, string? triggerGroup, string? triggerName, string cause, string node, bool overwrite,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO scheduler_trigger_errors (sched_name, trigger_group, trigger_name, job_group, job_name, cause, node, recorded_at)
            SELECT t.sched_name, t.trigger_group, t.trigger_name, t.job_group, t.job_name, @cause, @node, now()
            FROM qrtz_triggers t
            WHERE t.sched_name = @sched AND t.job_group = @jg AND t.job_name = @jn
              AND (@tg::text IS NULL OR (t.trigger_group = @tg AND t.trigger_name = @tn))
            ON CONFLICT (sched_name, trigger_group, trigger_name) DO {(overwrite
                ? "UPDATE SET job_group = excluded.job_group, job_name = excluded.job_name, cause = excluded.cause, node = excluded.node, recorded_at = excluded.recorded_at"
                : "NOTHING")}
            """);
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("jg", jobGroup);
        command.Parameters.AddWithValue("jn", jobName);
        command.Parameters.Add(new NpgsqlParameter("tg", NpgsqlDbType.Text) { Value = (object?)triggerGroup ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("tn", NpgsqlDbType.Text) { Value = (object?)triggerName ?? DBNull.Value });
        command.Parameters.AddWithValue("cause", cause.Length <= MaxCauseLength ? cause : cause[..MaxCauseLength] + "…");
        command.Parameters.AddWithValue("node", node);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The recorded cause of the trigger's ERROR, or null.</summary>
    public async Task<string?> FindAsync(string schedulerName, string triggerGroup, string triggerName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT cause FROM scheduler_trigger_errors WHERE sched_name = @sched AND trigger_group = @tg AND trigger_name = @tn");
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("tg", triggerGroup);
        command.Parameters.AddWithValue("tn", triggerName);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Forgets the trigger's cause (it was reset).</summary>
    public async Task ClearAsync(string schedulerName, string triggerGroup, string triggerName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM scheduler_trigger_errors WHERE sched_name = @sched AND trigger_group = @tg AND trigger_name = @tn");
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("tg", triggerGroup);
        command.Parameters.AddWithValue("tn", triggerName);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
