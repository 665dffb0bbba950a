using Npgsql;

namespace Scheduler.Jobs.Tasks;

/// <summary>
/// Runs one batch statement again and again, one transaction per batch, until a batch finds nothing. The statement
/// returns one row — (last key seen, rows in the batch, rows affected) — and may use <c>@after</c> (the last key of the
/// previous batch, for keyset paging) and <c>@batch</c> (the batch size).
/// </summary>
internal static class BatchLoop
{
    public static async Task<(long Rows, long Affected, long Batches)> RunAsync(
        NpgsqlDataSource dataSource, string sql, int batchSize, Action<NpgsqlParameterCollection> bind,
        Action<long> progress, CancellationToken cancellationToken)
    {
        long after = 0, rows = 0, affected = 0, batches = 0;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            command.Parameters.AddWithValue("after", after);
            command.Parameters.AddWithValue("batch", batchSize);
            bind(command.Parameters);
            long last, count, changed;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                await reader.ReadAsync(cancellationToken);
                (last, count, changed) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            await transaction.CommitAsync(cancellationToken);
            if (count == 0)
            {
                return (rows, affected, batches);
            }

            (after, rows, affected, batches) = (last, rows + count, affected + changed, batches + 1);
            progress(rows);
        }
    }
}
