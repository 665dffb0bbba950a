using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;
using Scheduler.Core.Fencing;

namespace Scheduler.Jobs.Heartbeat;

/// <summary>
/// The sample job: records which node ran which scheduled fire time in <c>scheduler_heartbeat</c>, so a fresh
/// cluster visibly spreads work across its nodes. The optional simulated work runs before the row is written, so
/// an interrupted run leaves no row.
/// </summary>
public sealed partial class HeartbeatJob(NpgsqlDataSource dataSource, TimeProvider timeProvider, ILogger<HeartbeatJob> logger) : IJob
{
    /// <summary>Job data key: simulated work in milliseconds (default 0), to watch draining and recovery.</summary>
    public const string WorkMillisecondsKey = "workMs";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var startedAt = timeProvider.GetUtcNow();
        var workMs = context.MergedJobDataMap.TryGetValue(WorkMillisecondsKey, out var value)
            && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : 0;
        if (workMs > 0)
        {
            context.ReportProgress(0, "working");
            await Task.Delay(workMs, cancellationToken);
            context.ReportProgress(100, "done");
        }

        var node = context.Scheduler.SchedulerInstanceId;
        // Fenced: the row and the occurrence's completion commit together, so a duplicate run leaves no second row.
        var occurrence = FencedOccurrence.Current;
        await using var fenced = occurrence is null ? null : await occurrence.BeginTransactionAsync(cancellationToken);
        await using var command = fenced is null ? dataSource.CreateCommand() : new NpgsqlCommand(null, fenced.Connection, fenced.Transaction);
        command.CommandText =
            """
            INSERT INTO scheduler_heartbeat
                (sched_name, instance_id, job_name, trigger_name, scheduled_fire_time, fired_at, started_at, fire_instance_id)
            VALUES (@sched, @node, @job, @trigger, @scheduled, @fired, @started, @fire_instance_id)
            """;
        command.Parameters.AddWithValue("sched", context.Scheduler.SchedulerName);
        command.Parameters.AddWithValue("node", node);
        command.Parameters.AddWithValue("job", context.JobDetail.Key.ToString());
        // The occurrence's scheduled time, also on a recovery re-fire (whose own fire times are the original's actual ones).
        var scheduled = (occurrence?.Key ?? OccurrenceKey.For(context)).ScheduledFireTime;
        command.Parameters.AddWithValue("scheduled", scheduled);
        command.Parameters.AddWithValue("trigger", (occurrence?.Key ?? OccurrenceKey.For(context)).Trigger.Name);
        command.Parameters.AddWithValue("fired", context.FireTimeUtc);
        command.Parameters.AddWithValue("started", startedAt);
        command.Parameters.AddWithValue("fire_instance_id", context.FireInstanceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
        if (fenced is not null)
        {
            await occurrence!.CommitAsync(fenced, cancellationToken);
        }

        context.Result = JobRunReport.Succeeded($"heartbeat from {node}");
        LogBeat(logger, node, scheduled);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Heartbeat on {Node} for {ScheduledFireTime:o}")]
    private static partial void LogBeat(ILogger logger, string node, DateTimeOffset scheduledFireTime);
}
