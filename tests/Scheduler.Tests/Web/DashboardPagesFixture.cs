using Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary>
/// One node with finished history to page through: 60 quick successes, 6 identical failures, 2 failures of a job whose
/// every name and output is markup, and an idle job to trigger by hand.
/// </summary>
public sealed class DashboardPagesFixture : IAsyncLifetime
{
    public const int QuickRuns = 60;

    public const int BrokenRuns = 6;

    public const int HostileRuns = 2;

    public static readonly JobKey Quick = new("quick", "pages");

    public static readonly JobKey Broken = new("broken", "pages");

    public static readonly JobKey Idle = new("idle", "pages");

    /// <summary>A job whose group, name, trigger, description and data are all markup.</summary>
    public static readonly JobKey Hostile = new("<img src=x onerror=alert(1)>", "<b>grp");

    public TestDatabase Db { get; private set; } = null!;

    public WebNode Node { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Db = await TestDatabase.CreateMigratedAsync(nameof(DashboardPagesFixture));
        // Each test signs in afresh: more than the default 10 sign-ins a minute from one client.
        Node = await WebNode.StartAsync(Db, "pages-node", new Dictionary<string, string?> { ["Scheduler:Web:SignInAttemptsPerMinute"] = "1000" },
            k => k.AddJobsOf(typeof(BrokenJob).Assembly));
        var scheduler = await Node.SchedulerAsync();
        await scheduler.ScheduleJob(JobBuilder.Create().OfType<Scheduler.Jobs.Heartbeat.HeartbeatJob>().WithIdentity(Quick).StoreDurably().Build(),
            [Repeating("quick-trigger", Quick, QuickRuns)], default);
        await scheduler.ScheduleJob(JobBuilder.Create().OfType<BrokenJob>().WithIdentity(Broken).StoreDurably().Build(),
            [Repeating("broken-trigger", Broken, BrokenRuns)], default);
        await scheduler.ScheduleJob(
            JobBuilder.Create().OfType<HostileJob>().WithIdentity(Hostile).WithDescription("<script>alert('description')</script>")
                .UsingJobData("note", "<script>alert('data')</script>").UsingJobData("<i>key", "v").StoreDurably().Build(),
            [Repeating("<svg onload=alert(2)>", Hostile, HostileRuns)], default);
        await scheduler.ScheduleJob(JobBuilder.Create().OfType<Scheduler.Jobs.Heartbeat.HeartbeatJob>().WithIdentity(Idle).StoreDurably().Build(),
            [TriggerBuilder.Create().WithIdentity("idle-trigger", "pages").ForJob(Idle).WithCronSchedule("0 0 3 1 1 ?").Build()], default);
        await Poll.UntilAsync(async () => await Db.ScalarAsync<long>(
                "SELECT count(*) FROM qrtz_execution_history") == QuickRuns + BrokenRuns + HostileRuns
            && await Db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_name <> 'idle-trigger'") == 0,
            TimeSpan.FromSeconds(60), "every run of the quick, broken and hostile jobs in the history");
    }

    public async Task DisposeAsync()
    {
        await Node.DisposeAsync();
        await Db.DisposeAsync();
    }

    private static ITrigger Repeating(string name, JobKey job, int runs) => TriggerBuilder.Create()
        .WithIdentity(name, job.Group).ForJob(job).StartNow()
        .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMilliseconds(50)).WithRepeatCount(runs - 1))
        .Build();
}
