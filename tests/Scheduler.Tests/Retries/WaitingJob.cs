using Quartz;
using Scheduler.Core.Retries;

namespace Scheduler.Tests.Retries;

/// <summary>Runs until it is cancelled, declaring retries: what an operator's interrupt must not turn into a retry.</summary>
[JobRetry(2, Backoff = RetryBackoff.Fixed, Delay = "00:00:00.200")]
public sealed class WaitingJob : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
}
