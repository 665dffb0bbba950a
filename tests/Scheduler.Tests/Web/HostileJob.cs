using Microsoft.Extensions.Logging;
using Quartz;

namespace Scheduler.Tests.Web;

/// <summary>
/// A job whose every output is markup: it logs its job data and fails with an error holding a script, as a compromised
/// upstream or a careless job could. The dashboard must show all of it as text.
/// </summary>
public sealed partial class HostileJob(ILogger<HostileJob> logger) : IJob
{
    public const string Script = "<script>alert('hostile')</script>";

    public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        LogData(logger, context.MergedJobDataMap.GetString("note") ?? "");
        throw new JobExecutionException($"{Script} failed\n   at <b>Frame</b>.Execute() {Script}");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job data note: {Note}")]
    private static partial void LogData(ILogger logger, string note);
}
