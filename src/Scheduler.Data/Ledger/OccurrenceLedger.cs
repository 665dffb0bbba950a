using Npgsql;

namespace Scheduler.Data.Ledger;

/// <summary>
/// Claims, completes and fences occurrences in <c>scheduler_occurrences</c> (sql/0007). One statement per step:
/// a claim is an upsert that only succeeds for a new occurrence, a failed one, or one held by a node the cluster
/// no longer counts alive; completion requires the claim's token.
/// </summary>
public sealed class OccurrenceLedger(NpgsqlDataSource dataSource)
{
    private const string KeyPredicate =
        "sched_name = @sched AND job_group = @jg AND job_name = @jn AND trigger_group = @tg AND trigger_name = @tn AND scheduled_fire_time = @at";

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="node"/>. <paramref name="takeOver"/> (a recovery re-fire) may take a
    /// claim that is still open; otherwise an open claim is taken only when its node has not checked in within
    /// <paramref name="failedAfter"/>. Returns the claim, or null and the reason when the occurrence is not ours to run.
    /// </summary>
    public async Task<(LedgerClaim? Claim, string? Reason)> ClaimAsync(
        LedgerKey key, string node, string fireInstanceId, bool takeOver, TimeSpan failedAfter, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        await using var command = dataSource.CreateCommand(
            $"""
            INSERT INTO scheduler_occurrences AS o
                (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time,
                 state, claim_token, claimed_by, claimed_at, fire_instance_id)
            VALUES (@sched, @jg, @jn, @tg, @tn, @at, 'claimed', @token, @node, now(), @fid)
            ON CONFLICT (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time) DO UPDATE
               SET state = 'claimed', claim_token = excluded.claim_token, claimed_by = excluded.claimed_by,
                   claimed_at = excluded.claimed_at, fire_instance_id = excluded.fire_instance_id,
                   attempts = o.attempts + 1, completed_at = NULL
             WHERE o.state = 'failed'
                OR (o.state = 'claimed' AND (@take_over OR NOT EXISTS (
                        SELECT 1 FROM qrtz_scheduler_state s
                        WHERE s.sched_name = o.sched_name AND s.instance_name = o.claimed_by
                          AND s.last_checkin_time + (s.checkin_interval * 10000) + @failed_after_ticks
                              > (extract(epoch FROM clock_timestamp()) * 10000000)::bigint + 621355968000000000)))
            RETURNING claim_token
            """);
        Bind(command, key);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("node", node);
        command.Parameters.AddWithValue("fid", fireInstanceId);
        command.Parameters.AddWithValue("take_over", takeOver);
        command.Parameters.AddWithValue("failed_after_ticks", failedAfter.Ticks);
        if (await command.ExecuteScalarAsync(cancellationToken) is Guid returned && returned == token)
        {
            return (new LedgerClaim(key, token, node, fireInstanceId), null);
        }

        return (null, await DescribeAsync(key, cancellationToken));
    }

    /// <summary>Records a suppressed duplicate (the table, and the occurrence's counter).</summary>
    public async Task RecordDuplicateAsync(LedgerKey key, string node, string fireInstanceId, string reason, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var insert = new NpgsqlBatchCommand(
            """
            INSERT INTO scheduler_suppressed_duplicates
                (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time, fire_instance_id, node, reason)
            VALUES (@sched, @jg, @jn, @tg, @tn, @at, @fid, @node, @reason)
            """);
        Bind(insert.Parameters, key);
        insert.Parameters.AddWithValue("fid", fireInstanceId);
        insert.Parameters.AddWithValue("node", node);
        insert.Parameters.AddWithValue("reason", reason);
        var count = new NpgsqlBatchCommand($"UPDATE scheduler_occurrences SET duplicates_suppressed = duplicates_suppressed + 1 WHERE {KeyPredicate}");
        Bind(count.Parameters, key);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(count);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ends the claim as completed or failed; returns false when the claim was no longer ours (taken over).</summary>
    public async Task<bool> FinishAsync(LedgerClaim claim, bool succeeded, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CompleteAsync(connection, null, claim, succeeded ? "completed" : "failed", cancellationToken) == 1;
    }

    /// <summary>
    /// Opens a transaction for a job whose effects live in the scheduler database. Its first statement marks the occurrence
    /// completed if the claim is still ours, which also locks the row: the job's effects and the completion then commit
    /// together, or roll back together (the row returns to <c>claimed</c>). One statement where a check and a later
    /// update would take two.
    /// </summary>
    /// <exception cref="OccurrenceLostException">The claim is no longer ours.</exception>
    public async Task<FencedTransaction> BeginFencedAsync(LedgerClaim claim, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            if (await CompleteAsync(connection, transaction, claim, "completed", cancellationToken) == 0)
            {
                throw new OccurrenceLostException($"The claim on {claim.Key} by {claim.Node} is no longer current.");
            }
        }
        catch
        {
            await transaction.DisposeAsync();
            await connection.DisposeAsync();
            throw;
        }

        return new FencedTransaction(connection, transaction, claim);
    }

    /// <summary>Deletes ledger rows and suppressed-duplicate records older than <paramref name="retention"/>; open claims stay.</summary>
    public async Task<long> PruneAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var occurrences = new NpgsqlBatchCommand("DELETE FROM scheduler_occurrences WHERE claimed_at < now() - @retention AND state <> 'claimed'");
        occurrences.Parameters.AddWithValue("retention", retention);
        var duplicates = new NpgsqlBatchCommand("DELETE FROM scheduler_suppressed_duplicates WHERE suppressed_at < now() - @retention");
        duplicates.Parameters.AddWithValue("retention", retention);
        batch.BatchCommands.Add(occurrences);
        batch.BatchCommands.Add(duplicates);
        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<int> CompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, LedgerClaim claim, string state, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            UPDATE scheduler_occurrences SET state = @state, completed_at = now()
            WHERE {KeyPredicate} AND claim_token = @token AND state = 'claimed'
            """, connection, transaction);
        Bind(command, claim.Key);
        command.Parameters.AddWithValue("state", state);
        command.Parameters.AddWithValue("token", claim.Token);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<string> DescribeAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT state, claimed_by FROM scheduler_occurrences WHERE {KeyPredicate}");
        Bind(command, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? reader.GetString(0) == "completed"
                ? $"already completed by {reader.GetString(1)}"
                : $"held by {reader.GetString(1)}, which is alive"
            : "unknown";
    }

    private static void Bind(NpgsqlCommand command, LedgerKey key) => Bind(command.Parameters, key);

    private static void Bind(NpgsqlParameterCollection parameters, LedgerKey key)
    {
        parameters.AddWithValue("sched", key.SchedulerName);
        parameters.AddWithValue("jg", key.JobGroup);
        parameters.AddWithValue("jn", key.JobName);
        parameters.AddWithValue("tg", key.TriggerGroup);
        parameters.AddWithValue("tn", key.TriggerName);
        parameters.AddWithValue("at", key.ScheduledFireTime.ToUniversalTime());
    }
}
