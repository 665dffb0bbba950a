using Scheduler.Jobs.Tasks;
using Scheduler.Jobs.Tasks.ArchiveCompleted;
using Scheduler.Jobs.Tasks.DailySummary;
using Scheduler.Jobs.Tasks.MetricsRollup;
using Scheduler.Jobs.Tasks.OverdueReminders;
using Scheduler.Jobs.Tasks.RecurringTasks;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Jobs.Tasks;

/// <summary>
/// The sample module's jobs, each run through <see cref="JobTestHarness"/>. "Run again" uses another trigger name for the
/// same fire time, so the ledger sees a new occurrence and only the job's own idempotency stands between it and a double effect.
/// </summary>
public sealed class SampleTaskJobTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Overdue_reminders_mark_tasks_and_enqueue_one_reminder_per_task_and_due_date_even_when_run_twice()
    {
        await using var db = await SampleTasksDatabase.CreateAsync("tasks_overdue");
        for (var i = 0; i < 5; i++)
        {
            await db.AddTaskAsync($"late-{i}", "open", "2026-11-21T09:00:00Z");
        }

        await db.AddTaskAsync("future", "open", "2026-11-23T09:00:00Z");
        await db.AddTaskAsync("finished", "done", "2026-11-20T09:00:00Z", "2026-11-20T10:00:00Z");
        await using var harness = await JobTestHarness.CreateAsync(db);
        var batchOfTwo = new Dictionary<string, string> { [SampleJobSettings.BatchSizeKey] = "2" };

        var first = await harness.RunAsync<OverdueRemindersJob>(Noon, batchOfTwo);
        await db.ExecuteAsync("UPDATE sample.tasks SET status = 'open' WHERE title = 'late-0'");
        var again = await harness.RunAsync<OverdueRemindersJob>(Noon, batchOfTwo, name: "another-trigger");

        Assert.Equal("reminders: 5 tasks marked overdue, 5 reminders enqueued in 3 batches", first.Summary);
        Assert.Equal("reminders: 1 tasks marked overdue, 0 reminders enqueued in 1 batches", again.Summary);
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM sample.notifications_outbox WHERE kind = 'reminder'"));
        Assert.Equal(["finished:done", "future:open"], await db.ListAsync(
            "SELECT title || ':' || status FROM sample.tasks WHERE title NOT LIKE 'late-%' ORDER BY title", r => r.GetString(0)));
    }

    [Fact]
    public async Task Recurring_tasks_open_the_next_occurrence_once()
    {
        await using var db = await SampleTasksDatabase.CreateAsync("tasks_recurring");
        await db.AddTaskAsync("weekly report", "done", "2026-11-20T09:00:00Z", "2026-11-20T11:00:00Z", "7 days");
        await db.AddTaskAsync("one-off", "done", "2026-11-20T09:00:00Z", "2026-11-20T11:00:00Z");
        await using var harness = await JobTestHarness.CreateAsync(db);

        var first = await harness.RunAsync<RecurringTasksJob>(Noon);
        var again = await harness.RunAsync<RecurringTasksJob>(Noon, name: "another-trigger");

        Assert.Equal("recurring: 1 completed recurring tasks checked, 1 next occurrences opened", first.Summary);
        Assert.EndsWith("0 next occurrences opened", again.Summary, StringComparison.Ordinal);
        Assert.Equal(["weekly report:done:2026-11-20", "weekly report:open:2026-11-27"], await db.ListAsync(
            "SELECT title || ':' || status || ':' || to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM sample.tasks WHERE title = 'weekly report' ORDER BY due_at",
            r => r.GetString(0)));
    }

    [Theory]
    [InlineData("2026-03-29T07:00:00Z", "2026-03-29")]
    [InlineData("2026-10-25T08:00:00Z", "2026-10-25")]
    [InlineData("2026-11-22T08:00:00Z", "2026-11-22")]
    public async Task The_daily_summary_at_0900_Berlin_is_dated_the_local_day_across_DST_and_sent_once(string fireTimeUtc, string localDate)
    {
        await using var db = await SampleTasksDatabase.CreateAsync("tasks_summary");
        await db.AddTaskAsync("late", "overdue", "2026-01-01T09:00:00Z");
        await using var harness = await JobTestHarness.CreateAsync(db);
        var berlin = new Dictionary<string, string> { [DailySummaryJob.TimeZoneKey] = "Europe/Berlin" };
        var at = DateTimeOffset.Parse(fireTimeUtc, System.Globalization.CultureInfo.InvariantCulture);

        var first = await harness.RunAsync<DailySummaryJob>(at, berlin);
        await harness.RunAsync<DailySummaryJob>(at, berlin, name: "another-trigger");

        Assert.Equal($"daily summary for {localDate} (Europe/Berlin): 2 summaries enqueued for 2 users", first.Summary);
        Assert.Equal([$"1:{localDate}:1", $"2:{localDate}:0"], await db.ListAsync(
            "SELECT user_id || ':' || summary_date || ':' || (payload->>'overdue') FROM sample.notifications_outbox WHERE kind = 'daily_summary' ORDER BY user_id",
            r => r.GetString(0)));
    }

    [Fact]
    public async Task Archiving_moves_old_completed_tasks_in_batches_records_the_run_and_can_be_undone()
    {
        await using var db = await SampleTasksDatabase.CreateAsync("tasks_archive");
        for (var i = 0; i < 5; i++)
        {
            await db.AddTaskAsync($"old-{i}", "done", "2026-09-01T09:00:00Z", "2026-09-02T09:00:00Z");
        }

        await db.AddTaskAsync("recent", "done", "2026-11-10T09:00:00Z", "2026-11-10T10:00:00Z");
        await db.AddTaskAsync("open", "open", "2026-09-01T09:00:00Z");
        var before = await db.ListAsync("SELECT concat_ws('|', id, title, status, completed_at) FROM sample.tasks ORDER BY id", r => r.GetString(0));
        await using var harness = await JobTestHarness.CreateAsync(db);

        var run = await harness.RunAsync<ArchiveCompletedJob>(Noon, new() { [SampleJobSettings.BatchSizeKey] = "2" });
        var again = await harness.RunAsync<ArchiveCompletedJob>(Noon, new() { [SampleJobSettings.BatchSizeKey] = "2" }, name: "another-trigger");

        Assert.StartsWith("archive run 1: 5 tasks completed before 2026-10-23 archived", run.Summary, StringComparison.Ordinal);
        Assert.StartsWith("archive run 2: 0 tasks", again.Summary, StringComparison.Ordinal);
        Assert.Equal(["open", "recent"], await db.ListAsync("SELECT title FROM sample.tasks ORDER BY title", r => r.GetString(0)));
        Assert.Equal((5, "harness-node"), (await db.ListAsync("SELECT tasks_archived, run_by FROM sample.archive_runs WHERE id = 1",
            r => (r.GetInt32(0), r.GetString(1)))).Single());

        Assert.Equal(5, await db.ScalarAsync<int>("SELECT sample.restore_archive_run(1)"));
        Assert.Equal(before, await db.ListAsync("SELECT concat_ws('|', id, title, status, completed_at) FROM sample.tasks ORDER BY id", r => r.GetString(0)));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM sample.tasks_archive"));
    }

    [Fact]
    public async Task The_metrics_rollup_replaces_its_bucket_rather_than_doubling_it()
    {
        await using var db = await SampleTasksDatabase.CreateAsync("tasks_metrics");
        await db.AddTaskAsync("a", "open", null);
        await db.AddTaskAsync("b", "open", null);
        await db.AddTaskAsync("c", "done", null, "2026-11-22T11:00:00Z");
        await using var harness = await JobTestHarness.CreateAsync(db);
        var at = Noon.AddMinutes(17);

        await harness.RunAsync<MetricsRollupJob>(at);
        await db.AddTaskAsync("d", "open", null);
        await harness.RunAsync<MetricsRollupJob>(at, name: "another-trigger");

        Assert.Equal(["done:1", "in_progress:0", "open:3", "overdue:0"], await db.ListAsync(
            "SELECT status || ':' || task_count FROM sample.task_metrics_15m WHERE bucket_start = '2026-11-22T12:15:00Z' ORDER BY status",
            r => r.GetString(0)));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(DISTINCT bucket_start) FROM sample.task_metrics_15m"));
    }
}
