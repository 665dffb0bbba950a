using Quartz;

namespace Scheduler.Tests.Retries;

/// <summary>A job that cannot be built: it asks for a service nobody registers, so Quartz puts its triggers in ERROR.</summary>
public sealed class UnbuildableJob(UnbuildableJob.IMissingService missing) : IJob
{
    /// <summary>Never registered.</summary>
    public interface IMissingService;

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"never built: {missing}");
}
