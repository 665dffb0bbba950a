using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;
using Scheduler.Core.Retention;
using Scheduler.Core.Schedules;
using Scheduler.Data.Retention;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Data;

/// <summary>Every table of ours that grows is pruned by its own retention, in bounded batches, with the nodes' least privileges.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Each_growing_table_loses_only_rows_past_its_retention_a_bounded_batch_at_a_time_as_scheduler_runtime()
    {
        await using var db = await TestDatabase.CreateAsync("retention");
        await using var roles = await DatabaseRoles.InstallAsync(db);
        await using (var owner = NpgsqlDataSource.Create(await roles.LoginAsync("scheduler_owner")))
        {
            await new Scheduler.Data.Migrations.MigrationRunner(owner, NullLogger<Scheduler.Data.Migrations.MigrationRunner>.Instance).ApplyAsync(CancellationToken.None);
        }

        await db.ExecuteAsync(
            """
            INSERT INTO scheduler_occurrences (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time, state,
                                               claim_token, claimed_by, claimed_at, fire_instance_id)
            SELECT 's', 'g', 'j', 'g', 't', now() - g * interval '1 second' - interval '20 days', 'completed', gen_random_uuid(), 'n',
                   now() - interval '20 days', 'f' FROM generate_series(1, 250) g
            UNION ALL SELECT 's', 'g', 'j', 'g', 't', now() - interval '30 days', 'claimed', gen_random_uuid(), 'n', now() - interval '30 days', 'open'
            UNION ALL SELECT 's', 'g', 'j', 'g', 't', now(), 'completed', gen_random_uuid(), 'n', now(), 'recent';
            INSERT INTO scheduler_suppressed_duplicates (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time,
                                                         fire_instance_id, node, reason, suppressed_at)
            VALUES ('s', 'g', 'j', 'g', 't', now(), 'old', 'n', 'r', now() - interval '20 days'), ('s', 'g', 'j', 'g', 't', now(), 'recent', 'n', 'r', now());
            INSERT INTO scheduler_audit (at, actor, role, action, target, source, node, outcome)
            VALUES (now() - interval '400 days', 'a', 'cli', 'trigger', 'old', 'cli:h', 'n', 'ok'), (now(), 'a', 'cli', 'trigger', 'recent', 'cli:h', 'n', 'ok');
            INSERT INTO scheduler_heartbeat (sched_name, instance_id, job_name, fired_at, recorded_at, fire_instance_id)
            VALUES ('s', 'n', 'j', now(), now() - interval '4 days', 'old'), ('s', 'n', 'j', now(), now(), 'recent');
            INSERT INTO scheduler_sessions (id, key_name, role, source, node, created_at, expires_at)
            VALUES (gen_random_uuid(), 'old', 'operator', 's', 'n', now() - interval '40 days', now() - interval '39 days'),
                   (gen_random_uuid(), 'live', 'operator', 's', 'n', now(), now() + interval '8 hours');
            INSERT INTO qrtz_scheduler_state (sched_name, instance_name, last_checkin_time, checkin_interval) VALUES ('s', 'alive-node', 0, 2000);
            INSERT INTO scheduler_node_info (instance_name, version, host, process_id, started_at)
            VALUES ('gone-node', '1', 'h', 1, now() - interval '60 days'), ('alive-node', '1', 'h', 2, now() - interval '60 days'),
                   ('new-node', '1', 'h', 3, now());
            """);
        await using var runtime = NpgsqlDataSource.Create(await roles.LoginAsync("scheduler_runtime"));
        var service = new RetentionService(new RetentionStore(runtime),
            Options.Create(new RetentionOptions { BatchSize = 100, MaxBatchesPerPass = 2 }),
            Options.Create(new ExecutionHistoryOptions()), Options.Create(new ScheduleOptions()), TimeProvider.System,
            NullLogger<RetentionService>.Instance);

        var first = await service.PruneAllAsync(CancellationToken.None);
        var afterFirst = await db.ScalarAsync<long>("SELECT count(*) FROM scheduler_occurrences");
        var second = await service.PruneAllAsync(CancellationToken.None);

        Assert.Equal(200, first[PrunedTable.Ledger]);
        Assert.Equal(52L, afterFirst);
        Assert.Equal(50, second[PrunedTable.Ledger]);
        Assert.Equal(["open", "recent"], await db.ListAsync("SELECT fire_instance_id FROM scheduler_occurrences ORDER BY 1", r => r.GetString(0)));
        Assert.Equal(["recent"], await db.ListAsync("SELECT fire_instance_id FROM scheduler_suppressed_duplicates", r => r.GetString(0)));
        Assert.Equal(["recent"], await db.ListAsync("SELECT target FROM scheduler_audit", r => r.GetString(0)));
        Assert.Equal(["recent"], await db.ListAsync("SELECT fire_instance_id FROM scheduler_heartbeat", r => r.GetString(0)));
        Assert.Equal(["live"], await db.ListAsync("SELECT key_name FROM scheduler_sessions", r => r.GetString(0)));
        Assert.Equal(["alive-node", "new-node"], await db.ListAsync("SELECT instance_name FROM scheduler_node_info ORDER BY 1", r => r.GetString(0)));
    }

    [Fact]
    public void A_history_row_cap_that_cuts_the_retention_short_is_named_with_both_settings_and_what_it_keeps()
    {
        var heartbeat = new JobDefinition { Name = "heartbeat", Cron = ["0/6 * * * * ?", "2/6 * * * * ?", "4/6 * * * * ?"] };
        var perDay = HistoryCapacity.ConfiguredFiresPerDay([heartbeat], new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.Zero));

        var cut = HistoryCapacity.Warning(new ExecutionHistoryOptions { Retention = TimeSpan.FromDays(14), MaxEntriesPerScheduler = 100_000 }, perDay, "test");
        var enough = HistoryCapacity.Warning(new ExecutionHistoryOptions { Retention = TimeSpan.FromDays(14), MaxEntriesPerScheduler = 2_000_000 }, perDay, "test");

        Assert.Equal(43_200, perDay);
        Assert.NotNull(cut);
        Assert.Contains("Scheduler:History:MaxEntriesPerScheduler", cut, StringComparison.Ordinal);
        Assert.Contains("Scheduler:History:Retention", cut, StringComparison.Ordinal);
        Assert.Contains("55.6 hours", cut, StringComparison.Ordinal);
        Assert.Null(enough);
    }

    [Fact]
    public async Task Validate_reports_a_history_cap_that_cuts_the_retention_short_and_refuses_a_retention_below_its_floor()
    {
        var capped = new Dictionary<string, string?> { ["Scheduler__History__MaxEntriesPerScheduler"] = "100000" };
        var tooShort = new Dictionary<string, string?> { ["Scheduler__Retention__Audit"] = "1.00:00:00" };
        // The local cluster's heartbeat sample: 43,200 fires a day, which 100,000 rows keep for 55.6 hours, not 14 days.
        var sample = Path.Combine(TestEnvironment.RepositoryRoot, "config", "heartbeat.json");

        await using var warned = await SchedulerProcess.RunAsync(["validate", "--offline", "--config", sample], capped, TimeSpan.FromSeconds(60));
        await using var refused = await SchedulerProcess.RunAsync(["validate", "--offline"], tooShort, TimeSpan.FromSeconds(60));

        Assert.True(warned.ExitCode == 0, warned.Describe());
        Assert.Contains("warning: Scheduler:History:MaxEntriesPerScheduler (100,000 rows) cuts", warned.StandardError, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Scheduler:Retention:Audit", refused.StandardError, StringComparison.Ordinal);
    }
}
