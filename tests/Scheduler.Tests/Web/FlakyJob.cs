using Microsoft.Extensions.Logging;
using Quartz;

namespace Scheduler.Tests.Web;

/// <summary>Fails the first time each fire instance of a given key runs, and succeeds on the next run: what a replay is for.</summary>
public sealed partial class FlakyJob(ILogger<FlakyJob> logger) : IJob
{
    private static readonly HashSet<string> Failed = [];
    private static readonly Lock Gate = new();

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            if (Failed.Add(context.JobDetail.Key.ToString()))
            {
                LogGivingUp(logger, context.JobDetail.Key);
                throw new JobExecutionException("planned first failure");
            }
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream refused the call for {JobKey}; giving up this run")]
    private static partial void LogGivingUp(ILogger logger, JobKey jobKey);
}
