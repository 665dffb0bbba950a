using Quartz;

namespace Scheduler.Tests.Web;

/// <summary>Fails the first time each fire instance of a given key runs, and succeeds on the next run: what a replay is for.</summary>
public sealed class FlakyJob : IJob
{
    private static readonly HashSet<string> Failed = [];
    private static readonly Lock Gate = new();

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        lock (Gate)
        {
            if (Failed.Add(context.JobDetail.Key.ToString()))
            {
                throw new JobExecutionException("planned first failure");
            }
        }

        return ValueTask.CompletedTask;
    }
}
