using System.Net;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary>Behind a load balancer any node answers: a dashboard session and form token from one node work on another.</summary>
public sealed class SharedSessionTests
{
    [Fact]
    public async Task A_sign_in_on_one_node_is_honoured_by_another_and_survives_a_restart()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("shared_session");
        var a = await WebNode.StartAsync(db, "session-a");
        await using var b = await WebNode.StartAsync(db, "session-b");
        using var session = await DashboardSession.SignInAsync(a, WebNode.OperatorKey);
        var token = await session.TokenAsync("/jobs");

        var onB = await session.Client.GetAsync(new Uri(b.Address, "/jobs"));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["reason"] = "x" });
        var actionOnB = await session.Client.PostAsync(new Uri(b.Address, "/triggers/none/none/pause"), form);
        await a.DisposeAsync();
        await using var restarted = await WebNode.StartAsync(db, "session-a");
        var afterRestart = await session.Client.GetAsync(new Uri(restarted.Address, "/"));

        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, actionOnB.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterRestart.StatusCode);
        Assert.True(await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_dataprotection_keys") >= 1);
    }
}
