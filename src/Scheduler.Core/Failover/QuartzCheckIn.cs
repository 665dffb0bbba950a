using System.Reflection;
using Quartz;

namespace Scheduler.Core.Failover;

/// <summary>
/// Runs Quartz's own cluster check-in now rather than at the next <c>CheckinInterval</c>: the same
/// <c>AdoJobStoreBase.CheckIn</c> the check-in loop calls, which recovers every instance it judges failed
/// (<c>ClusterRecover</c>), then the scheduling signal the loop sends after a recovery so the recovery triggers fire at once.
/// </summary>
/// <remarks>
/// Quartz 4.7.3 keeps both members internal; they are found by reflection once, and when they are not there (another Quartz
/// version) <see cref="Available"/> is false and recovery waits for the next regular check-in. Nothing else of the store is touched.
/// A check-in under its own lock requestor is serialised with the loop's by Quartz's <c>STATE_ACCESS</c> and
/// <c>TRIGGER_ACCESS</c> locks, so the two never recover the same node twice.
/// </remarks>
public sealed class QuartzCheckIn
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
    private readonly Guid requestor = Guid.NewGuid();
    private readonly object? store;
    private readonly MethodInfo? checkIn;
    private readonly MethodInfo? signal;
    private readonly DateTimeOffset? signalTime;

    public QuartzCheckIn(IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        var core = scheduler.GetType().GetField("scheduler", Instance)?.GetValue(scheduler);
        var resources = core?.GetType().GetField("resources", Instance)?.GetValue(core);
        store = resources?.GetType().GetProperty("JobStore", Instance)?.GetValue(resources);
        while (store is global::Quartz.Impl.DelegatingJobStore)
        {
            store = typeof(global::Quartz.Impl.DelegatingJobStore).GetProperty("Inner", Instance)?.GetValue(store);
        }

        checkIn = store?.GetType().GetMethod("CheckIn", Instance, [typeof(Guid), typeof(CancellationToken)]);
        signal = store?.GetType().GetMethod("SignalSchedulingChangeImmediately", Instance, [typeof(DateTimeOffset?), typeof(CancellationToken)]);
        signalTime = typeof(SchedulerConstants).GetField("SchedulingSignalDateTime", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            ?.GetValue(null) as DateTimeOffset?;
        if (checkIn?.ReturnType != typeof(ValueTask<bool>) || signal?.ReturnType != typeof(ValueTask))
        {
            checkIn = null;
        }
    }

    /// <summary>Whether this Quartz has the check-in to call (false: recovery waits for the regular check-in).</summary>
    public bool Available => checkIn is not null;

    /// <summary>Checks in now; true when the check-in recovered a failed instance (and the scheduler thread was told).</summary>
    /// <exception cref="InvalidOperationException">Not <see cref="Available"/>.</exception>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        if (checkIn is null)
        {
            throw new InvalidOperationException("This Quartz version has no AdoJobStoreBase.CheckIn(Guid, CancellationToken) to call.");
        }

        try
        {
            var recovered = await (ValueTask<bool>)checkIn.Invoke(store, [requestor, cancellationToken])!;
            if (recovered)
            {
                await (ValueTask)signal!.Invoke(store, [signalTime, cancellationToken])!;
            }

            return recovered;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
