using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Jobs.Tasks;

/// <summary>A migrated test database with the sample module's users and tasks seeded by each test.</summary>
internal static class SampleTasksDatabase
{
    public static async Task<TestDatabase> CreateAsync(string purpose)
    {
        var db = await TestDatabase.CreateMigratedAsync(purpose, withSamples: true);
        await db.ExecuteAsync("INSERT INTO sample.users (name, email) VALUES ('Ada', 'ada@example.org'), ('Linus', 'linus@example.org')");
        return db;
    }

    /// <summary>Adds a task for user 1; returns nothing, tests read back by title.</summary>
    public static Task AddTaskAsync(this TestDatabase db, string title, string status, string? dueAt, string? completedAt = null, string? recurrence = null) =>
        db.ExecuteAsync(
            $"""
            INSERT INTO sample.tasks (user_id, title, status, due_at, completed_at, recurrence_interval)
            VALUES (1, '{title}', '{status}', {Literal(dueAt)}::timestamptz, {Literal(completedAt)}::timestamptz, {Literal(recurrence)}::interval)
            """);

    private static string Literal(string? value) => value is null ? "NULL" : $"'{value}'";
}
