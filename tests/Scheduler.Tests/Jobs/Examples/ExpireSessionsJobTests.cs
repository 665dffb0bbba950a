using Scheduler.Jobs.Examples;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Jobs.Examples;

/// <summary>README's "Adding a job" test, as it is shown there: the example job against a real database.</summary>
public sealed class ExpireSessionsJobTests
{
    [Fact]
    public async Task Expires_the_sessions_that_ended_before_the_fire_time_once()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("example_expire", withSamples: true);
        var nine = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
        await db.ExecuteAsync(
            "INSERT INTO sample.user_sessions (user_name, expires_at) VALUES ('ada', '2026-11-22 08:59Z'), ('bob', '2026-11-22 09:01Z')");
        await using var harness = await JobTestHarness.CreateAsync(db);

        var run = await harness.RunAsync<ExpireSessionsJob>(nine);
        var again = await harness.RunAsync<ExpireSessionsJob>(nine); // the same occurrence: suppressed

        Assert.Null(run.Exception);
        Assert.Equal("1 sessions expired", run.Summary);
        Assert.StartsWith("duplicate suppressed", again.Summary, StringComparison.Ordinal);
        Assert.Equal(["bob"], await db.ListAsync("SELECT user_name FROM sample.user_sessions", r => r.GetString(0)));
    }
}
