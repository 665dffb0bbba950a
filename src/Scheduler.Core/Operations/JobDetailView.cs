namespace Scheduler.Core.Operations;

/// <summary>One job in full: its definition, triggers with upcoming fire times, what runs now and how its runs have gone.</summary>
/// <param name="DataKeys">The names in the job's data map; values are not shown, since they may hold secrets.</param>
public sealed record JobDetailView(
    JobSummary Summary,
    bool Durable,
    bool ConcurrentExecutionDisallowed,
    bool RequestsRecovery,
    IReadOnlyList<string> DataKeys,
    IReadOnlyList<TriggerView> Triggers,
    IReadOnlyList<DateTimeOffset> UpcomingFireTimesUtc,
    IReadOnlyList<FireInstanceView> Running,
    string? LastFailureMessage,
    int ConsecutiveFailures);
