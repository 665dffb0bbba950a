using Quartz;

namespace Scheduler.Tests.Schedules;

/// <summary>A job that fails every time, to watch retry policies at work.</summary>
public sealed class AlwaysFailingJob : IJob
{
    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        throw new JobExecutionException($"planned failure of {context.ScheduledFireTimeUtc:o} attempt {context.RetryAttempt}");
}
