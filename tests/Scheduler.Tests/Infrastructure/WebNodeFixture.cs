using Quartz;

namespace Scheduler.Tests.Infrastructure;

/// <summary>One migrated database and one <see cref="WebNode"/> shared by a test class, with a few jobs to look at.</summary>
public sealed class WebNodeFixture : IAsyncLifetime
{
    public TestDatabase Db { get; private set; } = null!;

    public WebNode Node { get; private set; } = null!;

    /// <summary>A heartbeat job firing every second (executions to read).</summary>
    public static readonly JobKey Beat = new("beat", "web");

    /// <summary>A job whose only trigger fires in a year, in Europe/Paris (stable listings, safe to pause).</summary>
    public static readonly JobKey Idle = new("idle", "web");

    public static readonly TriggerKey IdleTrigger = new("idle-trigger", "web");

    /// <summary>A job whose name looks like SQL injection: it must be stored, listed and acted on as plain data.</summary>
    public static readonly JobKey Odd = new("x'); DROP TABLE qrtz_triggers; --", "odd group");

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateMigratedAsync(nameof(WebNodeFixture));
        Node = await WebNode.StartAsync(Db, "web-node-1");
        var scheduler = await Node.SchedulerAsync();
        await scheduler.ScheduleJob(
            JobBuilder.Create().OfType<Scheduler.Jobs.Heartbeat.HeartbeatJob>().WithIdentity(Beat).StoreDurably().Build(),
            [TriggerBuilder.Create().WithIdentity("beat-trigger", "web").WithCronSchedule("* * * * * ?").Build()],
            default);
        await scheduler.ScheduleJob(
            JobBuilder.Create().OfType<Scheduler.Jobs.Heartbeat.HeartbeatJob>().WithIdentity(Idle).WithDescription("fires next year").StoreDurably().Build(),
            [TriggerBuilder.Create().WithIdentity(IdleTrigger).ForJob(Idle)
                .WithCronSchedule("0 0 3 1 1 ?", c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris"))).Build()],
            default);
        await scheduler.AddJob(JobBuilder.Create().OfType<Scheduler.Jobs.Heartbeat.HeartbeatJob>().WithIdentity(Odd).StoreDurably().Build(), new AddJobOptions { Replace = true }, default);
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Db.DisposeAsync();
    }
}
