using System.Text.Json;

namespace Scheduler.Data.Operations;

/// <summary>One operator action as <c>scheduler_audit</c> (sql/0009) records it.</summary>
/// <param name="Actor">The API key's name, or the CLI user.</param>
/// <param name="Role"><c>viewer</c> or <c>operator</c>, or <c>cli</c> for the command line.</param>
/// <param name="Action">What was asked: <c>trigger</c>, <c>pause-job</c>, <c>reset-trigger</c>, <c>sign-in</c>…</param>
/// <param name="Target">What it was asked of: a job, trigger or group key, a fire instance id.</param>
/// <param name="Source">The client address, or <c>cli:&lt;host&gt;</c>.</param>
/// <param name="Outcome"><c>ok</c>, or what went wrong.</param>
public sealed record AuditEntry(
    string Actor,
    string Role,
    string Action,
    string Target,
    string? Reason,
    JsonElement? Detail,
    string Source,
    string Node,
    string Outcome)
{
    /// <summary>The row's id; 0 until written.</summary>
    public long Id { get; init; }

    /// <summary>When the database recorded the action.</summary>
    public DateTimeOffset At { get; init; }
}
