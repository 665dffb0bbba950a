using System.Collections.Concurrent;
using Quartz;

namespace Scheduler.Core.Hosting;

/// <summary>
/// The firings this process is executing, kept in memory so a node can drain and interrupt its own work while the store
/// cannot be read (PostgreSQL unreachable at shutdown). Registered as the outermost job middleware.
/// </summary>
public sealed class RunningFirings : IJobExecutionMiddleware
{
    private readonly ConcurrentDictionary<string, (string Name, CancellationTokenSource Interrupt)> running = new();

    /// <summary>Fire instance id and job key of each firing running in this process now.</summary>
    public IReadOnlyList<(string FireInstanceId, string Name)> Snapshot() =>
        [.. running.Select(r => (r.Key, r.Value.Name))];

    /// <summary>Cancels the token the firing's job was handed; false when it is no longer running here.</summary>
    public bool Interrupt(string fireInstanceId)
    {
        if (!running.TryGetValue(fireInstanceId, out var entry))
        {
            return false;
        }

        entry.Interrupt.Cancel();
        return true;
    }

    public async ValueTask Invoke(IJobExecutionContext context, JobExecutionDelegate next, CancellationToken cancellationToken)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        running[context.FireInstanceId] = (context.JobDetail.Key.ToString(), interrupt);
        try
        {
            await next(context, interrupt.Token);
        }
        finally
        {
            running.TryRemove(context.FireInstanceId, out _);
        }
    }
}
