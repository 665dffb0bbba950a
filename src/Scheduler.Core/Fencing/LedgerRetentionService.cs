using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Data.Ledger;

namespace Scheduler.Core.Fencing;

/// <summary>
/// Keeps the occurrence ledger as long as the execution history: every hour, rows older than
/// <c>Scheduler:History:Retention</c> are deleted (open claims never). Any node may do it; the deletes are idempotent.
/// </summary>
public sealed partial class LedgerRetentionService(
    OccurrenceLedger ledger,
    IOptions<ExecutionHistoryOptions> history,
    TimeProvider timeProvider,
    ILogger<LedgerRetentionService> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, timeProvider);
        do
        {
            try
            {
                var deleted = await ledger.PruneAsync(history.Value.Retention, stoppingToken);
                if (deleted > 0)
                {
                    LogPruned(logger, deleted, history.Value.Retention);
                }
            }
            catch (Npgsql.NpgsqlException e)
            {
                // Not swallowed silently: the next pass retries, and the warning says why this one did not happen.
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Rows} occurrence ledger rows older than {Retention}")]
    private static partial void LogPruned(ILogger logger, long rows, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning the occurrence ledger failed; retrying in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
