using Npgsql;

namespace Scheduler.Data.Ledger;

/// <summary>
/// Claims, completes and fences occurrences in <c>scheduler_occurrences</c> (sql/0007, sql/0012). One statement per step:
/// a claim is an upsert that only succeeds for a new occurrence, a failed or dead one (a replay), the pending attempt of
/// a retrying one (a retry), or one held by a node the cluster no longer counts alive; completion requires the claim's token.
/// </summary>
public sealed class OccurrenceLedger(NpgsqlDataSource dataSource)
{
    private const string KeyPredicate =
        "sched_name = @sched AND job_group = @jg AND job_name = @jn AND trigger_group = @tg AND trigger_name = @tn AND scheduled_fire_time = @at";

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="node"/>. <paramref name="takeOver"/> (a recovery re-fire) may take a
    /// claim that is still open; otherwise an open claim is taken only when its node has not checked in within
    /// <paramref name="failedAfter"/>. <paramref name="retry"/> is the attempt count a retry trigger was scheduled for: a retry
    /// claims only a <c>retrying</c> occurrence still at that count (so a retry scheduled twice runs once), and a run that is
    /// not a retry never claims a <c>retrying</c> one. Returns the claim (with PostgreSQL's claim time), or null and why
    /// when the occurrence is not ours to run.
    /// </summary>
    public async Task<(LedgerClaim? Claim, ClaimRefusal? Refusal)> ClaimAsync(
        LedgerKey key, string node, string fireInstanceId, bool takeOver, TimeSpan failedAfter, CancellationToken cancellationToken,
        int? retry = null)
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
                   -- Taking over a dead node's claim re-runs the same attempt; any other claim is the next one.
                   attempts = CASE WHEN o.state = 'claimed' THEN o.attempts ELSE o.attempts + 1 END,
                   completed_at = NULL, retry_at = NULL, retry_trigger = NULL
             WHERE (@retry::int IS NULL AND o.state IN ('failed', 'dead'))
                OR (o.state = 'retrying' AND o.attempts = @retry)
                OR (o.state = 'claimed' AND (@retry::int IS NULL OR o.attempts = @retry + 1) AND (@take_over OR NOT EXISTS (
                        SELECT 1 FROM qrtz_scheduler_state s
                        WHERE s.sched_name = o.sched_name AND s.instance_name = o.claimed_by
                          AND s.last_checkin_time + (s.checkin_interval * 10000) + @failed_after_ticks
                              > (extract(epoch FROM clock_timestamp()) * 10000000)::bigint + 621355968000000000)))
            RETURNING claim_token, attempts, claimed_at, xmax = 0 AS inserted
            """);
        Bind(command, key);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("node", node);
        command.Parameters.AddWithValue("fid", fireInstanceId);
        command.Parameters.AddWithValue("take_over", takeOver);
        command.Parameters.AddWithValue("failed_after_ticks", failedAfter.Ticks);
        command.Parameters.Add(new NpgsqlParameter("retry", NpgsqlTypes.NpgsqlDbType.Integer) { Value = (object?)retry ?? DBNull.Value });
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken) && reader.GetGuid(0) == token)
            {
                // xmax is 0 for the row version the INSERT wrote, and set when ON CONFLICT updated an existing claim.
                return (new LedgerClaim(key, token, node, fireInstanceId, reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetBoolean(3)), null);
            }
        }

        return (null, await DescribeAsync(key, cancellationToken));
    }

    /// <summary>Records a suppressed duplicate (the table, with <paramref name="refusal"/>'s text, and the occurrence's counter).</summary>
    public async Task RecordDuplicateAsync(LedgerKey key, string node, string fireInstanceId, ClaimRefusal refusal, CancellationToken cancellationToken)
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
        insert.Parameters.AddWithValue("reason", refusal.Text);
        var count = new NpgsqlBatchCommand($"UPDATE scheduler_occurrences SET duplicates_suppressed = duplicates_suppressed + 1 WHERE {KeyPredicate}");
        Bind(count.Parameters, key);
        batch.BatchCommands.Add(insert);
        batch.BatchCommands.Add(count);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ends the claim as completed or failed; returns false when the claim was no longer ours (taken over).</summary>
    public Task<bool> FinishAsync(LedgerClaim claim, bool succeeded, CancellationToken cancellationToken) =>
        FinishAsync(claim, succeeded ? LedgerOutcome.Completed : new LedgerOutcome(OccurrenceState.Failed), cancellationToken);

    /// <summary>
    /// Ends the claim with <paramref name="outcome"/>: a retrying outcome records the pending retry (when and which trigger)
    /// before that trigger is scheduled, so a node that dies in between leaves it for <see cref="PendingRetriesAsync"/>.
    /// Returns false when the claim was no longer ours (taken over).
    /// </summary>
    public async Task<bool> FinishAsync(LedgerClaim claim, LedgerOutcome outcome, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await CompleteAsync(connection, null, claim, outcome, cancellationToken) == 1;
    }

    /// <summary>
    /// Retrying occurrences that are due and whose retry trigger is in neither the store nor a recovery trigger of their
    /// job: the retries a node died before scheduling. Re-scheduling one under its deterministic key is safe even if it
    /// raced its original scheduling, because the store refuses the second and the claim checks the attempt count.
    /// </summary>
    public async Task<IReadOnlyList<PendingRetry>> PendingRetriesAsync(string schedulerName, string retryGroup, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            SELECT o.job_group, o.job_name, o.trigger_group, o.trigger_name, o.scheduled_fire_time, o.attempts, o.retry_at, o.retry_trigger
            FROM scheduler_occurrences o
            WHERE o.sched_name = @sched AND o.state = 'retrying' AND o.retry_at <= now() AND o.retry_trigger IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM qrtz_triggers t
                              WHERE t.sched_name = o.sched_name AND t.trigger_group = @group AND t.trigger_name = o.retry_trigger)
              AND NOT EXISTS (SELECT 1 FROM qrtz_triggers t
                              WHERE t.sched_name = o.sched_name AND t.trigger_group = 'RECOVERING_JOBS'
                                AND t.job_group = o.job_group AND t.job_name = o.job_name)
            ORDER BY o.retry_at
            LIMIT 500
            """);
        command.Parameters.AddWithValue("sched", schedulerName);
        command.Parameters.AddWithValue("group", retryGroup);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<PendingRetry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = new LedgerKey(schedulerName, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4));
            rows.Add(new PendingRetry(key, reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7)));
        }

        return rows;
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
            if (await CompleteAsync(connection, transaction, claim, LedgerOutcome.Completed, cancellationToken) == 0)
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

    /// <summary>Deletes ledger rows and suppressed-duplicate records older than <paramref name="retention"/>; open claims and pending retries stay.</summary>
    public async Task<long> PruneAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var occurrences = new NpgsqlBatchCommand("DELETE FROM scheduler_occurrences WHERE claimed_at < now() - @retention AND state NOT IN ('claimed', 'retrying')");
        occurrences.Parameters.AddWithValue("retention", retention);
        var duplicates = new NpgsqlBatchCommand("DELETE FROM scheduler_suppressed_duplicates WHERE suppressed_at < now() - @retention");
        duplicates.Parameters.AddWithValue("retention", retention);
        batch.BatchCommands.Add(occurrences);
        batch.BatchCommands.Add(duplicates);
        return await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static async Task<int> CompleteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, LedgerClaim claim, LedgerOutcome outcome, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            UPDATE scheduler_occurrences
               SET state = @state, completed_at = CASE WHEN @state = 'retrying' THEN NULL ELSE now() END,
                   last_error = coalesce(@error, last_error), retry_at = @retry_at, retry_trigger = @retry_trigger
            WHERE {KeyPredicate} AND claim_token = @token AND state = 'claimed'
            """, connection, transaction);
        Bind(command, claim.Key);
        command.Parameters.AddWithValue("state", outcome.StateName);
        command.Parameters.AddWithValue("token", claim.Token);
        command.Parameters.Add(new NpgsqlParameter("error", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)outcome.TruncatedError ?? DBNull.Value });
        command.Parameters.Add(new NpgsqlParameter("retry_at", NpgsqlTypes.NpgsqlDbType.TimestampTz)
        {
            Value = (object?)outcome.RetryAt?.ToUniversalTime() ?? DBNull.Value,
        });
        command.Parameters.Add(new NpgsqlParameter("retry_trigger", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)outcome.RetryTrigger ?? DBNull.Value });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<ClaimRefusal> DescribeAsync(LedgerKey key, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT state, claimed_by FROM scheduler_occurrences WHERE {KeyPredicate}");
        Bind(command, key);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return !await reader.ReadAsync(cancellationToken) ? new ClaimRefusal(DuplicateReason.Unknown)
            : reader.GetString(0) switch
            {
                "completed" => new ClaimRefusal(DuplicateReason.AlreadyCompleted, Holder: reader.GetString(1)),
                "claimed" => new ClaimRefusal(DuplicateReason.HeldByLiveNode, Holder: reader.GetString(1)),
                var state => new ClaimRefusal(DuplicateReason.NotThisAttempt, State: state),
            };
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
