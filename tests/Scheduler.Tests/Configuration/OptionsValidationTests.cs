using Quartz;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Configuration;

/// <summary>
/// Every section a node reads is checked at start: a bad value stops the node (as <c>scheduler run</c> composes it) with a
/// message naming the key, rather than surfacing when a trigger fires at 3 a.m.
/// </summary>
public sealed class OptionsValidationTests : IAsyncLifetime
{
    private TestDatabase db = null!;

    public async Task InitializeAsync() => db = await TestDatabase.CreateMigratedAsync(nameof(OptionsValidationTests));

    public async Task DisposeAsync() => await db.DisposeAsync();

    [Theory]
    [InlineData("Scheduler:Fencing:Enabled", "maybe", "Scheduler:Fencing:Enabled")]
    [InlineData("Scheduler:Retention:Interval", "00:00:01", "Scheduler:Retention:Interval must be between 00:01:00 and 1.00:00:00")]
    [InlineData("Scheduler:Retries:RecoveryInterval", "00:00:00", "Scheduler:Retries:RecoveryInterval must be between")]
    [InlineData("Scheduler:Shutdown:DrainTimeout", "00:00:00", "Scheduler:Shutdown:DrainTimeout must be between")]
    [InlineData("Scheduler:ClockGuard:MaxOffset", "00:05:00", "Scheduler:ClockGuard:MaxOffset must be between")]
    [InlineData("Scheduler:Failover:ConfirmWithin", "00:00:00", "Scheduler:Failover:ConfirmWithin must be between")]
    [InlineData("Scheduler:Failover:PeerRefreshInterval", "00:00:00.500", "Scheduler:Failover:PeerRefreshInterval must be between")]
    [InlineData("Scheduler:Failover:Enabled", "maybe", "Scheduler:Failover:Enabled")]
    [InlineData("Scheduler:Restore:HoldAfterSilence", "-00:00:01", "Scheduler:Restore:HoldAfterSilence must not be negative")]
    [InlineData("Scheduler:Database:Migrations:LockTimeout", "00:00:00", "Scheduler:Database:Migrations:LockTimeout must be between")]
    [InlineData("Scheduler:Web:MaxConcurrentRequests", "0", "Scheduler:Web:MaxConcurrentRequests is 0; use 1 to 1000.")]
    [InlineData("Scheduler:Auth:SessionLifetime", "00:00:00", "Scheduler:Auth:SessionLifetime must be between")]
    [InlineData("Scheduler:History:MaxEntriesPerScheduler", "-1", "MaxEntriesPerScheduler")]
    [InlineData("Scheduler:Logging:Format", "xml", "Scheduler:Logging:Format is 'xml'; expected 'text' or 'json'.")]
    [InlineData("Scheduler:Jobs:x:Misfire", "Sometimes", "Scheduler:Jobs:x:Misfire: 'Sometimes' is not one of Smart, FireNow, DoNothing, CatchUp")]
    [InlineData("Scheduler:Jobs:x:Overlap", "2", "Scheduler:Jobs:x:Overlap: '2' is not one of Allow, Skip, Wait, CancelPrevious")]
    [InlineData("Scheduler:Jobs:x:Retry:Policy", "Linear", "Scheduler:Jobs:x:Retry:Policy: 'Linear' is not one of Fixed, Exponential")]
    [InlineData("Scheduler:ExecutionLimits:batch:Scope", "Everywhere", "Scheduler:ExecutionLimits:batch:Scope: 'Everywhere' is not one of")]
    public async Task A_bad_value_stops_the_node_at_start_naming_the_key(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:x:Type"] = "heartbeat",
            ["Scheduler:Jobs:x:Cron"] = "0 0 3 * * ?",
            [key] = value,
        };

        var error = await Assert.ThrowsAnyAsync<Exception>(() => InProcessNode.StartAsync(db, "bad-options", settings));

        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_job_details WHERE job_name = 'x'"));
    }

    [Fact]
    public async Task Policy_names_are_read_in_any_case_and_a_valid_configuration_starts()
    {
        await using var node = await InProcessNode.StartAsync(db, "good-options", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:x:Type"] = "heartbeat",
            ["Scheduler:Jobs:x:Cron"] = "0 0 3 * * ?",
            ["Scheduler:Jobs:x:Misfire"] = "donothing",
            ["Scheduler:Jobs:x:Overlap"] = "SKIP",
            ["Scheduler:ExecutionLimits:batch:Scope"] = "node",
        });

        Assert.Equal((short)CronTriggerMisfireInstruction.DoNothing, await db.ScalarAsync<short>("SELECT misfire_instr FROM qrtz_triggers WHERE job_name = 'x'"));
        Assert.Equal((int)OverlapPolicy.Skip, await db.ScalarAsync<int>("SELECT overlap_policy FROM qrtz_triggers WHERE job_name = 'x'"));
    }
}
