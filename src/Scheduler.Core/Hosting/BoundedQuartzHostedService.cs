using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace Scheduler.Core.Hosting;

/// <summary>
/// Quartz's hosted service with a stop that ends at the host's shutdown deadline. Quartz's own shutdown waits for its
/// scheduler thread, which keeps retrying to release its acquired triggers while PostgreSQL is unreachable: unbounded, a
/// node told to stop during a database outage never exits. At the deadline this stops waiting, records the unfinished
/// stop in <see cref="NodeStopOutcome"/> (exit code 3) and lets the host finish; what the node still holds in the store is
/// recovered by the other nodes, as for a killed node. Quartz's <c>StopAsync</c> is not overridable, so this wraps it.
/// </summary>
public sealed partial class BoundedQuartzHostedService(
    QuartzHostedService quartz,
    NodeStopOutcome outcome,
    ILogger<BoundedQuartzHostedService> logger) : IHostedLifecycleService
{
    /// <summary>Replaces the <see cref="QuartzHostedService"/> that <c>AddQuartzHostedService</c> registered, in its place.</summary>
    public static void Replace(IServiceCollection services)
    {
        var index = services.ToList().FindIndex(d =>
            d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(QuartzHostedService));
        if (index < 0)
        {
            throw new InvalidOperationException("AddQuartzHostedService must be called before BoundedQuartzHostedService.Replace.");
        }

        services[index] = ServiceDescriptor.Singleton<IHostedService>(sp => new BoundedQuartzHostedService(
            ActivatorUtilities.CreateInstance<QuartzHostedService>(sp),
            sp.GetRequiredService<NodeStopOutcome>(),
            sp.GetRequiredService<ILogger<BoundedQuartzHostedService>>()));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => quartz.StartingAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => quartz.StartAsync(cancellationToken);

    public Task StartedAsync(CancellationToken cancellationToken) => quartz.StartedAsync(cancellationToken);

    public Task StoppingAsync(CancellationToken cancellationToken) => quartz.StoppingAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await quartz.StopAsync(cancellationToken).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            const string reason = "Quartz did not finish shutting down before the stop deadline (database unreachable, or a job that does not unwind)";
            outcome.GaveUp(reason);
            LogGaveUp(logger, reason, NodeStopOutcome.DeadlineExitCode);
        }
        catch (SchedulerException e)
        {
            outcome.GaveUp(e.Message);
            LogFailed(logger, e, NodeStopOutcome.DeadlineExitCode);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => quartz.StoppedAsync(cancellationToken);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stop deadline passed: {Reason}. Exiting with code {ExitCode}; the other nodes recover this node's acquired triggers and recoverable jobs")]
    private static partial void LogGaveUp(ILogger logger, string reason, int exitCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "Quartz failed to shut down cleanly. Exiting with code {ExitCode}; the other nodes recover this node's acquired triggers and recoverable jobs")]
    private static partial void LogFailed(ILogger logger, Exception exception, int exitCode);
}
