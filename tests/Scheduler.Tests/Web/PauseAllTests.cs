using System.Net;
using System.Net.Http.Json;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary>Pausing and resuming every trigger at once: API, dashboard and CLI, each audited.</summary>
public sealed class PauseAllTests(WebNodeFixture fixture) : IClassFixture<WebNodeFixture>
{
    private const string NotPaused = "SELECT count(*) FROM qrtz_triggers WHERE trigger_state NOT IN ('PAUSED', 'PAUSED_BLOCKED')";

    [Fact]
    public async Task Pause_all_from_the_api_stops_every_trigger_and_resume_all_from_the_cli_restarts_them_both_audited()
    {
        using var op = fixture.Node.Client(WebNode.OperatorKey);
        using var viewer = fixture.Node.Client(WebNode.ViewerKey);

        var refused = await viewer.PostAsJsonAsync(new Uri("/api/scheduler/pause", UriKind.Relative), new { reason = "viewer" });
        var paused = await op.PostAsJsonAsync(new Uri("/api/scheduler/pause", UriKind.Relative), new { reason = "maintenance window" });

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, paused.StatusCode);
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>(NotPaused));
        var beatsWhilePaused = await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat");

        await using var resume = await SchedulerProcess.RunAsync(["resume", "--all", "--reason", "window over"], NodeEnvironment.For(fixture.Db), TimeSpan.FromSeconds(60));

        Assert.True(resume.ExitCode == 0, resume.Describe());
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_state IN ('PAUSED', 'PAUSED_BLOCKED')"));
        await Poll.UntilAsync(async () => await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM scheduler_heartbeat") > beatsWhilePaused,
            TimeSpan.FromSeconds(45), "the every-second job to fire again after resume --all (an idle node polls every 30 s)");
        var audit = await fixture.Db.ListAsync(
            "SELECT action, role, target, reason FROM scheduler_audit WHERE reason IN ('maintenance window', 'window over') ORDER BY id",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        Assert.Equal([("pause-all", "operator", "*", "maintenance window"), ("resume-all", "cli", "*", "window over")], audit);
    }

    [Fact]
    public async Task The_dashboard_offers_pause_all_to_operators_and_the_cli_refuses_pause_without_a_job_or_all()
    {
        using var session = await DashboardSession.SignInAsync(fixture.Node, WebNode.OperatorKey);
        var overview = await session.PageAsync("/");
        var pause = await session.PostFormAsync("/scheduler/pause", new() { ["reason"] = "from the dashboard", ["confirm"] = "yes" });
        var resume = await session.PostFormAsync("/scheduler/resume", []);
        await using var neither = await SchedulerProcess.RunAsync(["pause"], NodeEnvironment.For(fixture.Db), TimeSpan.FromSeconds(60));

        Assert.Contains("action=\"/scheduler/pause\"", overview, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, pause.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, resume.StatusCode);
        Assert.Equal(["pause-all", "resume-all"], await fixture.Db.ListAsync(
            "SELECT action FROM scheduler_audit WHERE action LIKE '%-all' AND role = 'operator' AND reason IS DISTINCT FROM 'maintenance window' ORDER BY id",
            r => r.GetString(0)));
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("--all", neither.StandardError, StringComparison.Ordinal);
    }
}
