using System.Data.Common;
using System.Reflection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using Scheduler.Data.Operations;

namespace Scheduler.Core.Operations;

/// <summary>Records this node's version, host and process in <c>scheduler_node_info</c> at start, so every node can show it.</summary>
public sealed partial class NodeInfoService(
    ISchedulerFactory schedulers, NodeInfoStore store, TimeProvider clock, ILogger<NodeInfoService> logger) : IHostedService
{
    /// <summary>The version this binary reports: its informational version without the source-revision suffix.</summary>
    public static string Version { get; } =
        typeof(NodeInfoService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken);
        try
        {
            await store.RecordAsync(
                new NodeInfo(scheduler.SchedulerInstanceId, Version, Environment.MachineName, Environment.ProcessId, clock.GetUtcNow()),
                cancellationToken);
        }
        catch (DbException e)
        {
            // Not worth refusing to start over: the node runs, and the API shows its version as unknown.
            LogNotRecorded(logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record this node's version in scheduler_node_info")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception);
}
