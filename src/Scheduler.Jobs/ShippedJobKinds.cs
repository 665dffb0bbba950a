using Scheduler.Core.Schedules;
using Scheduler.Jobs.Heartbeat;

namespace Scheduler.Jobs;

/// <summary>The job types configuration can name in <c>Scheduler:Jobs:&lt;name&gt;:Type</c>.</summary>
public static class ShippedJobKinds
{
    /// <summary>
    /// The built-in kinds (<c>heartbeat</c>, and <c>sql</c>/<c>http</c> with their own entry keys) and every
    /// public <c>IJob</c> of this assembly by class name.
    /// </summary>
    public static JobKindRegistry Create() => new JobKindRegistry()
        .Add(new JobKind("heartbeat", typeof(HeartbeatJob)))
        .AddJobsOf(typeof(ShippedJobKinds).Assembly);
}
