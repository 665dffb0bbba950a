using System.Diagnostics.Metrics;
using Quartz;
using Scheduler.Core.Fencing;
using Scheduler.Core.Retries;
using Scheduler.Core.Schedules;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Retries;

/// <summary>Service-owned retries on one in-process node: policies from a job class or configuration, dead letters, recovery.</summary>
public sealed class ServiceRetryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_failing_occurrence_is_retried_by_the_service_until_dead_and_a_non_retryable_failure_is_dead_at_once()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("retry_service");
        var deadLettered = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument is { Meter.Name: "Scheduler", Name: "scheduler.occurrence.dead_lettered" })
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "quartz.job.key")
                {
                    deadLettered.Add((string)tag.Value!);
                }
            }
        });
        meters.Start();
        await using (await InProcessNode.StartAsync(db, "n1", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:declared:Type"] = "attributed",
            ["Scheduler:Jobs:declared:Cron"] = "0/2 * * * * ?",
            ["Scheduler:Jobs:fatal:Type"] = "attributed",
            ["Scheduler:Jobs:fatal:Cron"] = "0/2 * * * * ?",
            ["Scheduler:Jobs:fatal:Data:fatal"] = "yes",
            ["Scheduler:Jobs:configured:Type"] = "attributed",
            ["Scheduler:Jobs:configured:Cron"] = "0/2 * * * * ?",
            ["Scheduler:Jobs:configured:Retry:Policy"] = "Fixed",
            ["Scheduler:Jobs:configured:Retry:Attempts"] = "1",
            ["Scheduler:Jobs:configured:Retry:Delay"] = "00:00:00.300",
            ["Scheduler:Jobs:division:Type"] = "sql",
            ["Scheduler:Jobs:division:Cron"] = "0/2 * * * * ?",
            ["Scheduler:Jobs:division:Sql"] = "SELECT 1 / 0",
            ["Scheduler:Jobs:division:Retry:Delay"] = "00:00:00.300",
            ["Scheduler:Jobs:serialization:Type"] = "sql",
            ["Scheduler:Jobs:serialization:Cron"] = "0/2 * * * * ?",
            ["Scheduler:Jobs:serialization:Sql"] = "DO $$ BEGIN RAISE EXCEPTION 'planned' USING ERRCODE = '40001'; END $$",
            ["Scheduler:Jobs:serialization:Retry:Policy"] = "Fixed",
            ["Scheduler:Jobs:serialization:Retry:Attempts"] = "1",
            ["Scheduler:Jobs:serialization:Retry:Delay"] = "00:00:00.300",
        }, k => k.Add(new JobKind("attributed", typeof(AttributedJob)))))
        {
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>(
                "SELECT count(DISTINCT job_name) FROM scheduler_occurrences WHERE state = 'dead'") == 5, Timeout, "a dead letter of each job");
        }

        var dead = await db.ListAsync(
            "SELECT job_name, min(attempts), max(attempts) FROM scheduler_occurrences WHERE state = 'dead' GROUP BY job_name ORDER BY 1",
            r => (r.GetString(0), r.GetInt32(1), r.GetInt32(2)));
        Assert.Equal([("configured", 2, 2), ("declared", 3, 3), ("division", 1, 1), ("fatal", 1, 1), ("serialization", 2, 2)], dead);
        Assert.Superset(new HashSet<string> { "config.configured", "config.declared", "config.fatal", "config.division", "config.serialization" },
            deadLettered.ToHashSet());
        Assert.Equal(5, deadLettered.Distinct().Count());
        Assert.Contains("planned fatal failure", await db.ScalarAsync<string>(
            "SELECT last_error FROM scheduler_occurrences WHERE job_name = 'fatal' AND state = 'dead' LIMIT 1"), StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_execution_history WHERE retry_scheduled OR retry_attempt > 0"));
        Assert.All(await db.ListAsync("SELECT retry_policy FROM qrtz_triggers WHERE trigger_group = 'config'", r => r.GetString(0)),
            policy => Assert.Equal(RetryPolicy.None, RetryPolicy.Parse(policy)));
    }

    [Fact]
    public async Task A_retry_recorded_by_a_node_that_died_before_scheduling_it_is_scheduled_by_recovery_and_runs_once()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("retry_recovery");
        using var server = new FlakyEndpoint();
        var at = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await using (var node = await InProcessNode.StartAsync(db, "n1", new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:remote:Type"] = "http",
            ["Scheduler:Jobs:remote:Url"] = server.Url + "/fail/0",
            ["Scheduler:Jobs:remote:Cron"] = "0 0 0 1 1 ? 2099",
            ["Scheduler:Jobs:remote:Retry:Attempts"] = "2",
            ["Scheduler:Retries:RecoveryInterval"] = "00:00:01",
        }))
        {
            var scheduler = await node.SchedulerAsync();
            var occurrence = new OccurrenceKey(scheduler.SchedulerName, new JobKey("remote", "config"), new TriggerKey("remote", "config"), at);
            var trigger = RetryTriggers.KeyFor(occurrence, 1);
            await db.ExecuteAsync(
                $"""
                INSERT INTO scheduler_occurrences (sched_name, job_group, job_name, trigger_group, trigger_name, scheduled_fire_time, state,
                    claim_token, claimed_by, claimed_at, fire_instance_id, attempts, last_error, retry_at, retry_trigger)
                VALUES ('{scheduler.SchedulerName}', 'config', 'remote', 'config', 'remote', '2026-01-01T00:00:00Z', 'retrying',
                    gen_random_uuid(), 'dead-node', now(), 'f1', 1, 'planned', now(), '{trigger.Name}')
                """);

            await Poll.UntilAsync(async () => await db.ScalarAsync<string>(
                "SELECT state FROM scheduler_occurrences WHERE job_name = 'remote'") == "completed", Timeout, "the lost retry to run");
            // The same retry scheduled again (twice): stored at most once, and its late firing finds the attempt already run.
            var late = DateTimeOffset.UtcNow.AddSeconds(2);
            Assert.True(await RetryTriggers.ScheduleAsync(scheduler, occurrence, 1, late, 5, default));
            Assert.False(await RetryTriggers.ScheduleAsync(scheduler, occurrence, 1, late, 5, default));
            await Poll.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'scheduler-retries'") == 0,
                Timeout, "the stale retry to fire");
        }

        var calls = server.ByKey("/fail/0");
        Assert.Equal(2, await db.ScalarAsync<int>("SELECT attempts FROM scheduler_occurrences WHERE job_name = 'remote'"));
        Assert.Single(calls.Single().Value);
        Assert.EndsWith("/2026-01-01T00:00:00.0000000Z", calls.Single().Key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redeploy_that_changes_the_entry_keeps_its_pending_retries()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("retry_redeploy");
        var settings = new Dictionary<string, string?>
        {
            ["Scheduler:Jobs:nightly:Type"] = "heartbeat",
            ["Scheduler:Jobs:nightly:Cron"] = "0 0 3 * * ?",
            ["Scheduler:Jobs:nightly:Retry:Attempts"] = "2",
        };
        await using (var node = await InProcessNode.StartAsync(db, "n1", settings))
        {
            var scheduler = await node.SchedulerAsync();
            var occurrence = new OccurrenceKey(scheduler.SchedulerName, new JobKey("nightly", "config"), new TriggerKey("nightly", "config"),
                new DateTimeOffset(2026, 11, 30, 3, 0, 0, TimeSpan.Zero));
            Assert.True(await RetryTriggers.ScheduleAsync(scheduler, occurrence, 1, DateTimeOffset.UtcNow.AddHours(1), 5, default));
        }

        settings["Scheduler:Jobs:nightly:Cron"] = "0 0 4 * * ?";
        await using (await InProcessNode.StartAsync(db, "n1", settings))
        {
        }

        Assert.Equal(["config.nightly", "scheduler-retries"], await db.ListAsync(
            "SELECT trigger_group || CASE WHEN trigger_group = 'config' THEN '.' || trigger_name ELSE '' END FROM qrtz_triggers ORDER BY 1",
            r => r.GetString(0)));
    }

    [Fact]
    public async Task An_occurrence_an_operator_interrupts_is_a_dead_letter_not_a_retry()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("retry_interrupt");
        await using var node = await InProcessNode.StartAsync(db, "n1", new Dictionary<string, string?>());
        var scheduler = await node.SchedulerAsync();
        await scheduler.ScheduleJob(JobBuilder.Create<WaitingJob>().WithIdentity("waiting", "rt").StoreDurably().Build(),
            [TriggerBuilder.Create().WithIdentity("waiting", "rt").StartNow().Build()], default);
        await Poll.UntilAsync(async () => await db.ScalarAsync<string>("SELECT state FROM scheduler_occurrences WHERE job_name = 'waiting'") == "claimed",
            Timeout, "the job to run");

        var running = await scheduler.QueryFireInstances(new FireInstanceQuery { Job = new JobKey("waiting", "rt") }, default);
        Assert.True(await scheduler.InterruptFireInstance(running.Items.Single().FireInstanceId, default));

        await Poll.UntilAsync(async () => await db.ScalarAsync<string>("SELECT state FROM scheduler_occurrences WHERE job_name = 'waiting'") == "dead",
            Timeout, "the interrupted occurrence to be a dead letter");
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT attempts FROM scheduler_occurrences WHERE job_name = 'waiting'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'scheduler-retries'"));
    }
}
