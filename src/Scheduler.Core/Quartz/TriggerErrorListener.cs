using System.Data.Common;
using Microsoft.Extensions.Logging;
using Quartz;
using Scheduler.Data.Operations;

namespace Scheduler.Core.Quartz;

/// <summary>
/// Records why Quartz put a trigger in ERROR where the API, the dashboard, <c>scheduler reset</c> and DBAs read it
/// (<c>scheduler_trigger_errors</c>). Quartz reports the cause of a job that cannot be built as a
/// <see cref="JobInstantiationException"/> through <see cref="ISchedulerListener.SchedulerError"/>, then moves all of the
/// job's triggers to ERROR; any other move to ERROR is recorded as having no reported cause, without hiding one already kept.
/// </summary>
public sealed partial class TriggerErrorListener(TriggerErrorStore store, ILogger<TriggerErrorListener> logger) : ISchedulerListener
{
    public async ValueTask SchedulerError(IScheduler scheduler, SchedulerErrorContext errorContext, CancellationToken cancellationToken = default)
    {
        if (errorContext.Exception is not JobInstantiationException failure)
        {
            return;
        }

        var job = failure.JobDetail.Key;
        var cause = $"{errorContext.Message}: {Innermost(failure).Message}";
        await RecordAsync(scheduler, job, null, cause, overwrite: true, cancellationToken);
    }

    public ValueTask TriggerInError(IScheduler scheduler, TriggerKey triggerKey, CancellationToken cancellationToken = default) =>
        RecordUnexplainedAsync(scheduler, triggerKey, cancellationToken);

    public async ValueTask TriggersInError(IScheduler scheduler, JobKey jobKey, CancellationToken cancellationToken = default) =>
        await RecordAsync(scheduler, jobKey, null, NoCause, overwrite: false, cancellationToken);

    private const string NoCause = "Quartz moved the trigger to ERROR without reporting a cause on this node; see its logs.";

    private async ValueTask RecordUnexplainedAsync(IScheduler scheduler, TriggerKey triggerKey, CancellationToken cancellationToken)
    {
        if (await scheduler.GetTrigger(triggerKey, cancellationToken) is { } trigger)
        {
            await RecordAsync(scheduler, trigger.JobKey, triggerKey, NoCause, overwrite: false, cancellationToken);
        }
    }

    private async ValueTask RecordAsync(
        IScheduler scheduler, JobKey job, TriggerKey? trigger, string cause, bool overwrite, CancellationToken cancellationToken)
    {
        try
        {
            await store.RecordAsync(scheduler.SchedulerName, job.Group, job.Name, trigger?.Group, trigger?.Name, cause,
                scheduler.SchedulerInstanceId, overwrite, cancellationToken);
        }
        catch (DbException e)
        {
            // A listener must not break the firing path; the cause still reaches the log.
            LogNotRecorded(logger, e, job, cause);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record why the triggers of {JobKey} are in ERROR: {Cause}")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, JobKey jobKey, string cause);
}
