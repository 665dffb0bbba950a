using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Quartz.Extensibility;

namespace Scheduler.Core.Telemetry;

/// <summary>
/// <c>scheduler.history.write_behind.queue</c>: executions Quartz's history holds in its write-behind queue and has not
/// written yet. Quartz 4.7.3 keeps that count (<c>ExecutionHistoryWriteBehind.buffered</c>) but publishes no instrument or
/// property for it, so it is read by reflection on exactly that version's private fields. A Quartz upgrade that renames
/// them makes the gauge report nothing rather than a wrong number, and <c>MetricsEndpointTests</c> fails on its absence.
/// </summary>
public sealed class HistoryQueueGauge
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    private readonly IServiceProvider services;

    public HistoryQueueGauge(SchedulerMetrics metrics, IServiceProvider services)
    {
        this.services = services;
        metrics.Meter.CreateObservableGauge(
            "scheduler.history.write_behind.queue", Observe, unit: "{execution}",
            description: "Executions waiting in Quartz's history write-behind queue (Scheduler:History:WriteBehindInterval) on this node.");
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        // Resolved at the first collection, not in the constructor: the store is built with the scheduler.
        var store = services.GetService<IExecutionHistoryStore>();
        if (store?.GetType().GetField("writeBehind", Instance) is not { } queueField)
        {
            return [];
        }

        // The queue is created by the first write; before it nothing waits.
        var queue = queueField.GetValue(store);
        if (queue is null)
        {
            return [new Measurement<long>(0)];
        }

        return queue.GetType().GetField("buffered", Instance)?.GetValue(queue) is int buffered
            ? [new Measurement<long>(Math.Max(0, buffered))]
            : [];
    }
}
