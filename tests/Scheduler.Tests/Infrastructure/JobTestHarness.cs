using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;
using Quartz.Extensibility;
using Scheduler.Core.Fencing;
using Scheduler.Core.Telemetry;
using Scheduler.Data.Ledger;
using Scheduler.Jobs;

namespace Scheduler.Tests.Infrastructure;

/// <summary>What one run of a job under <see cref="JobTestHarness"/> ended with.</summary>
public sealed record JobRun(object? Result, string? Summary, Exception? Exception, string FireInstanceId);

/// <summary>
/// Runs one job the way a node does — built by dependency injection, handed Quartz's own execution context for a given
/// scheduled fire time and job data, through the occurrence-fencing middleware against the test database — so a job's
/// test is three lines:
/// <code>
/// await using var harness = await JobTestHarness.CreateAsync(db);
/// var run = await harness.RunAsync&lt;MyJob&gt;(at, new() { ["batchSize"] = "2" });
/// Assert.Null(run.Exception);
/// </code>
/// Running it again with the same job name and fire time is a second run of the same occurrence.
/// </summary>
public sealed class JobTestHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly IScheduler scheduler;

    private JobTestHarness(ServiceProvider services, IScheduler scheduler)
    {
        this.services = services;
        this.scheduler = scheduler;
    }

    /// <summary>A harness on <paramref name="db"/> (migrated by the caller); <paramref name="configure"/> adds or replaces services.</summary>
    public static async Task<JobTestHarness> CreateAsync(TestDatabase db, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Scheduler"] = db.ConnectionString,
        }).Build();
        var collection = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton(NpgsqlDataSource.Create(db.ConnectionString))
            .AddSingleton(TimeProvider.System)
            .AddSingleton<OccurrenceLedger>()
            .AddSingleton<SchedulerMetrics>()
            .AddSingleton<Scheduler.Core.Retries.RetryDecider>()
            .AddSingleton<OccurrenceFencingMiddleware>()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddMetrics();
        collection.AddOptions<FencingOptions>();
        collection.AddSchedulerJobServices();
        collection.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => { s.InstanceName = "scheduler"; s.InstanceId = "harness-node"; });
            q.UseInMemoryStore();
        });
        configure?.Invoke(collection);
        var services = collection.BuildServiceProvider();
        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        return new JobTestHarness(services, scheduler);
    }

    /// <summary>The harness's services, e.g. to read what a job wrote through its own dependencies.</summary>
    public IServiceProvider Services => services;

    /// <summary>
    /// Runs <typeparamref name="TJob"/> once as the fire of <paramref name="scheduledFireTime"/> of a trigger named
    /// <paramref name="name"/>, with <paramref name="data"/> as its job data. Returns how it ended; never throws for the job.
    /// </summary>
    public async Task<JobRun> RunAsync<TJob>(
        DateTimeOffset scheduledFireTime, Dictionary<string, string>? data = null, string name = "job-under-test",
        CancellationToken cancellationToken = default)
        where TJob : class, IJob
    {
        var job = ActivatorUtilities.CreateInstance<TJob>(services);
        var map = new JobDataMap();
        foreach (var (key, value) in data ?? [])
        {
            map[key] = value;
        }

        var detail = JobBuilder.Create<TJob>().WithIdentity(name, "test").UsingJobData(map).Build();
        var trigger = TriggerBuilder.Create().WithIdentity(name, "test").ForJob(detail).StartAt(scheduledFireTime).Build();
        var context = JobExecutionContextBuilder.For(job)
            .WithJob(detail)
            .WithTrigger(trigger)
            .WithScheduler(scheduler)
            .FiredAt(scheduledFireTime, scheduledFireTime)
            .WithCancellation(cancellationToken)
            .Build();
        var middleware = services.GetRequiredService<OccurrenceFencingMiddleware>();
        try
        {
            await middleware.Invoke(context, (ctx, ct) => job.Execute(ctx, ct), context.CancellationToken);
            return new JobRun(context.Result, (context.Result as IJobRunReport)?.Summary, null, context.FireInstanceId);
        }
        catch (Exception e)
        {
            return new JobRun(context.Result, null, e, context.FireInstanceId);
        }
        finally
        {
            (context as IDisposable)?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await scheduler.Shutdown(false);
        await services.DisposeAsync();
    }
}
