using System.Diagnostics;
using Quartz;

namespace Scheduler.Bench;

/// <summary>
/// A Quartz scheduler on the same clustered ADO.NET store as the nodes, never started: it only writes jobs and
/// triggers, through Quartz's own API, for the nodes of <see cref="InstanceName"/> to fire.
/// </summary>
public sealed class StoreClient : IAsyncDisposable
{
    /// <summary>The shipped heartbeat job, named as the nodes resolve it: fenced insert into scheduler_heartbeat.</summary>
    public static readonly JobType HeartbeatJob = new("Scheduler.Jobs.Heartbeat.HeartbeatJob, Scheduler.Jobs");

    private readonly StandaloneSchedulerFactory factory;

    private StoreClient(string instanceName, StandaloneSchedulerFactory factory, IScheduler scheduler)
    {
        InstanceName = instanceName;
        this.factory = factory;
        Scheduler = scheduler;
    }

    public string InstanceName { get; }

    public IScheduler Scheduler { get; }

    /// <summary>A client of the cluster <paramref name="instanceName"/>, with an instance id no node uses.</summary>
    public static async Task<StoreClient> CreateAsync(string connection, string instanceName)
    {
        var factory = QuartzSchedulerBuilder.Create(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = instanceName;
                s.InstanceId = $"bench-client-{Environment.ProcessId}";
            });
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connection);
                store.UseSystemTextJsonSerializer();
                store.UseClustering(_ => { });
            });
        }).Build();
        var scheduler = await factory.GetScheduler();
        return new StoreClient(instanceName, factory, scheduler);
    }

    /// <summary>A durable heartbeat job with the given key and simulated work.</summary>
    public static IJobDetail Heartbeat(JobKey key, int workMs, bool requestsRecovery) =>
        JobBuilder.Create().OfType(HeartbeatJob).WithIdentity(key).StoreDurably().RequestRecovery(requestsRecovery)
            .UsingJobData("workMs", workMs.ToString(System.Globalization.CultureInfo.InvariantCulture)).Build();

    /// <summary>Stores <paramref name="triggers"/> for <paramref name="job"/> in chunks, one transaction each; returns the time it took.</summary>
    public async Task<TimeSpan> ScheduleAsync(IJobDetail job, IReadOnlyList<ITrigger> triggers, bool paused, int chunk = 1000)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < triggers.Count; i += chunk)
        {
            var part = triggers.Skip(i).Take(chunk).ToList();
            await Scheduler.ScheduleJob(job, part, new ScheduleJobOptions { Replace = true, Paused = paused });
        }

        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
    }
}
