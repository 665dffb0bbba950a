using System.Diagnostics;
using Npgsql;
using Quartz;
using Scheduler.Data;

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

    private readonly string connection;

    private StoreClient(string connection, string instanceName, StandaloneSchedulerFactory factory, IScheduler scheduler)
    {
        this.connection = connection;
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
                // As a node's: without statement reuse, storing 20,000 triggers took about twice as long (docs/BENCHMARKS.md).
                store.UsePostgres(ConnectionDefaults.Apply(new NpgsqlConnectionStringBuilder(connection)).ConnectionString);
                store.UseSystemTextJsonSerializer();
                store.UseClustering(_ => { });
            });
        }).Build();
        var scheduler = await factory.GetScheduler();
        return new StoreClient(connection, instanceName, factory, scheduler);
    }

    /// <summary>A durable heartbeat job with the given key and simulated work.</summary>
    public static IJobDetail Heartbeat(JobKey key, int workMs, bool requestsRecovery) =>
        JobBuilder.Create().OfType(HeartbeatJob).WithIdentity(key).StoreDurably().RequestRecovery(requestsRecovery)
            .UsingJobData("workMs", workMs.ToString(System.Globalization.CultureInfo.InvariantCulture)).Build();

    /// <summary>
    /// Stores <paramref name="triggers"/> for <paramref name="job"/> in chunks, one transaction each; returns the time it took,
    /// including one <c>ANALYZE</c> of Quartz's job and trigger tables after the first chunk (and one more, untimed, at the end).
    /// </summary>
    /// <remarks>
    /// Each run is a new scheduler name, which the planner's statistics do not know: it then estimates one row for
    /// <c>sched_name = $1</c>, finds every Quartz index (all begin with <c>sched_name</c>) equally good, and may keep a plan that
    /// walks <c>idx_qrtz_t_nft_st</c> for a primary-key lookup, so storing turns quadratic until autovacuum analyzes the
    /// table (the first 20,000-trigger store on a new database: 78.7 s without, 8.9 s with). A cluster has one scheduler name and
    /// autovacuum learns it within a minute of the first rows; the ANALYZE gives each run that state (sql/README.md).
    /// </remarks>
    public async Task<TimeSpan> ScheduleAsync(IJobDetail job, IReadOnlyList<ITrigger> triggers, bool paused, int chunk = 1000)
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < triggers.Count; i += chunk)
        {
            if (i == chunk)
            {
                await AnalyzeAsync();
            }

            var part = triggers.Skip(i).Take(chunk).ToList();
            await Scheduler.ScheduleJob(job, part, new ScheduleJobOptions { Replace = true, Paused = paused });
        }

        var took = watch.Elapsed;
        // Not timed: so the nodes about to fire these plan their key lookups with statistics that know this scheduler name.
        await AnalyzeAsync();
        return took;
    }

    private async Task AnalyzeAsync()
    {
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        await using var analyze = new NpgsqlCommand(
            "ANALYZE qrtz_job_details, qrtz_triggers, qrtz_simple_triggers, qrtz_cron_triggers", db);
        await analyze.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await factory.DisposeAsync();
    }
}
