using Npgsql;
using Quartz;
using Scheduler.Core.Fencing;

namespace Scheduler.Jobs.Examples;

/// <summary>README's "Adding a job" example: deletes the sign-in sessions that expired by the scheduled fire time.</summary>
public sealed class ExpireSessionsJob : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var occurrence = FencedOccurrence.Current!; // this fire's claim in the occurrence ledger
        await using var tx = await occurrence.BeginTransactionAsync(cancellationToken);
        await using var delete = new NpgsqlCommand(
            "DELETE FROM sample.user_sessions WHERE expires_at < @at", tx.Connection, tx.Transaction);
        delete.Parameters.AddWithValue("at", occurrence.Key.ScheduledFireTime); // the same on every run of this fire
        var rows = await delete.ExecuteNonQueryAsync(cancellationToken);
        await occurrence.CommitAsync(tx, cancellationToken); // the effect and the completion, once
        context.Result = JobRunReport.Succeeded($"{rows} sessions expired");
    }
}
