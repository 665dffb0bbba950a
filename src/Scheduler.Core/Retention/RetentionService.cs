using System.Data.Common;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Core.Schedules;
using Scheduler.Data.Retention;

namespace Scheduler.Core.Retention;

/// <summary>
/// Keeps every table of ours that grows bounded by time (<c>Scheduler:Retention</c>): every <see cref="RetentionOptions.Interval"/>
/// it deletes what is older than each table's retention in batches of <see cref="RetentionOptions.BatchSize"/> rows, each its
/// own short statement. At start it also says, once, when Quartz's history row cap would cut the history's time retention short.
/// </summary>
public sealed partial class RetentionService(
    RetentionStore store,
    IOptions<RetentionOptions> options,
    IOptions<ExecutionHistoryOptions> history,
    IOptions<ScheduleOptions> schedules,
    TimeProvider clock,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WarnAboutHistoryCapAsync(stoppingToken);
        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            await PruneAllAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass over every table; returns the rows deleted per table. A table that fails is logged and retried next pass.</summary>
    public async Task<IReadOnlyDictionary<PrunedTable, long>> PruneAllAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var deleted = new Dictionary<PrunedTable, long>();
        foreach (var (table, retention) in new[]
                 {
                     (PrunedTable.Ledger, o.Ledger), (PrunedTable.SuppressedDuplicates, o.SuppressedDuplicates), (PrunedTable.Audit, o.Audit),
                     (PrunedTable.Heartbeat, o.Heartbeat), (PrunedTable.Sessions, o.Sessions), (PrunedTable.NodeInfo, o.NodeInfo),
                 })
        {
            try
            {
                long rows = 0;
                for (var batch = 0; batch < o.MaxBatchesPerPass; batch++)
                {
                    var n = await store.PruneBatchAsync(table, retention, o.BatchSize, cancellationToken);
                    rows += n;
                    if (n < o.BatchSize)
                    {
                        break;
                    }
                }

                deleted[table] = rows;
                if (rows > 0)
                {
                    LogPruned(logger, rows, table, retention);
                }
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested)
            {
                // Not swallowed silently: the warning says which table and why; the next pass tries again.
                LogFailed(logger, e, table, o.Interval);
            }
        }

        return deleted;
    }

    private async Task WarnAboutHistoryCapAsync(CancellationToken cancellationToken)
    {
        var configured = HistoryCapacity.ConfiguredFiresPerDay(schedules.Value.Enabled, clock.GetUtcNow());
        var warning = HistoryCapacity.Warning(history.Value, configured, "the configured schedules");
        if (warning is null)
        {
            try
            {
                var lastHour = await store.ExecutionsInLastHourAsync(cancellationToken);
                warning = HistoryCapacity.Warning(history.Value, lastHour * 24.0, "measured over the last hour");
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested)
            {
                LogRateUnknown(logger, e);
            }
        }

        if (warning is not null)
        {
            LogHistoryCap(logger, warning);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Rows} rows of {Table} older than {Retention}")]
    private static partial void LogPruned(ILogger logger, long rows, PrunedTable table, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pruning {Table} failed; retrying in {Interval}")]
    private static partial void LogFailed(ILogger logger, Exception exception, PrunedTable table, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private static partial void LogHistoryCap(ILogger logger, string warning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not measure the execution rate to check the history row cap")]
    private static partial void LogRateUnknown(ILogger logger, Exception exception);
}
