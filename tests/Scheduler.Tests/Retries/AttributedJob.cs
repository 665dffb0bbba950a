using Quartz;
using Scheduler.Core.Retries;

namespace Scheduler.Tests.Retries;

/// <summary>
/// Fails every run, declaring its own retry policy: an <see cref="InvalidOperationException"/> (job data <c>fatal</c>) is
/// not retried, any other failure twice.
/// </summary>
[JobRetry(2, Backoff = RetryBackoff.Fixed, Delay = "00:00:00.300", NoRetryOn = [typeof(InvalidOperationException)])]
public sealed class AttributedJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        context.MergedJobDataMap.ContainsKey("fatal")
            ? throw new InvalidOperationException("planned fatal failure")
            : throw new TimeoutException("planned transient failure");
}
