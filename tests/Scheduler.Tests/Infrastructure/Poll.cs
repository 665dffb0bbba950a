using Quartz;

namespace Scheduler.Tests.Infrastructure;

/// <summary>Waits by polling against a deadline; fails with what it was waiting for.</summary>
public static class Poll
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// Hands over a started node once its scheduler runs, or disposes it and throws. Quartz's hosted service starts the
    /// scheduler on its own task once the host has started, so the host's StartAsync returns before it runs (a
    /// /health/ready probe in that gap is rightly 503).
    /// </summary>
    public static async Task<T> OnceRunningAsync<T>(T node, Func<Task<IScheduler>> scheduler, string instanceId)
        where T : IAsyncDisposable
    {
        try
        {
            var running = await scheduler();
            await UntilAsync(() => Task.FromResult(running.Status == SchedulerStatus.Running), TimeSpan.FromSeconds(30),
                $"node {instanceId}'s scheduler to start");
            return node;
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }
    }
}
