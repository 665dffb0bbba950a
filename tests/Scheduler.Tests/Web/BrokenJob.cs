using Quartz;

namespace Scheduler.Tests.Web;

/// <summary>Always fails with the same multi-line error: identical failures for the dashboard to group.</summary>
public sealed class BrokenJob : IJob
{
    public const string Error = "Upstream refused the connection\n   at Upstream.Call() in Upstream.cs:line 42\n   at BrokenJob.Execute()";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => throw new JobExecutionException(Error);
}
