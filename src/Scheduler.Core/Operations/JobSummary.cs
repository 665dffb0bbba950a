namespace Scheduler.Core.Operations;

/// <summary>A job in a listing: what it is, the state of its triggers, its next fire and its last run.</summary>
/// <param name="State">The gravest of its triggers' states (<c>Error</c> &gt; <c>Paused</c> &gt; <c>Blocked</c> &gt; <c>Normal</c>), or <c>NoTriggers</c>.</param>
public sealed record JobSummary(
    string Group,
    string Name,
    string? Description,
    string Type,
    string State,
    int Triggers,
    DateTimeOffset? NextFireUtc,
    DateTimeOffset? LastRunUtc,
    string? LastResult,
    long Runs,
    long Failures);
