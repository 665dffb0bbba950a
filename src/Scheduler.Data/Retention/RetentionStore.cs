using Npgsql;

namespace Scheduler.Data.Retention;

/// <summary>
/// Deletes old rows one bounded batch at a time: each call is one short statement (its own transaction) that deletes at most
/// <c>batchSize</c> rows, so pruning never holds locks or a snapshot for long and never bloats the table in one go.
/// </summary>
public sealed class RetentionStore(NpgsqlDataSource dataSource)
{
    /// <summary>Deletes up to <paramref name="batchSize"/> rows of <paramref name="table"/> older than <paramref name="retention"/>; returns how many.</summary>
    public async Task<int> PruneBatchAsync(PrunedTable table, TimeSpan retention, int batchSize, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql(table));
        command.Parameters.AddWithValue("retention", retention);
        command.Parameters.AddWithValue("batch", batchSize);
        return table == PrunedTable.Audit
            ? (int)(await command.ExecuteScalarAsync(cancellationToken))!
            : await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Executions recorded in the last hour (index idx_qrtz_eh_fired_at of sql/0014).</summary>
    public async Task<long> ExecutionsInLastHourAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM qrtz_execution_history WHERE scheduler_ticks_to_timestamptz(fired_time) > now() - interval '1 hour'");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string Sql(PrunedTable table) => table switch
    {
        PrunedTable.Ledger => Batch("scheduler_occurrences", "claimed_at < now() - @retention AND state NOT IN ('claimed', 'retrying')"),
        PrunedTable.SuppressedDuplicates => Batch("scheduler_suppressed_duplicates", "suppressed_at < now() - @retention"),
        PrunedTable.Heartbeat => Batch("scheduler_heartbeat", "recorded_at < now() - @retention"),
        PrunedTable.Sessions => Batch("scheduler_sessions", "expires_at < now() - @retention"),
        PrunedTable.NodeInfo => Batch("scheduler_node_info",
            "started_at < now() - @retention AND NOT EXISTS (SELECT 1 FROM qrtz_scheduler_state s WHERE s.instance_name = scheduler_node_info.instance_name)"),
        PrunedTable.Audit => "SELECT scheduler_prune_audit(@retention, @batch)",
        _ => throw new ArgumentOutOfRangeException(nameof(table), table, null),
    };

    // By ctid: one index range scan picks the batch, a TID scan deletes it; no ORDER BY, any old rows will do.
    private static string Batch(string table, string older) =>
        $"DELETE FROM {table} WHERE ctid = ANY (ARRAY(SELECT ctid FROM {table} WHERE {older} LIMIT @batch))";
}
