using Scheduler.Data.Operations;

namespace Scheduler.Core.Operations;

/// <summary>How one job's runs went over a window: counts, success rate, duration and lateness percentiles.</summary>
/// <param name="SuccessRate">Succeeded and skipped runs over all runs, 0–1; null with no runs.</param>
/// <param name="Lateness">How long after its scheduled time each occurrence was claimed (from the occurrence ledger).</param>
public sealed record JobStatistics(
    string JobGroup,
    string JobName,
    DateTimeOffset FromUtc,
    DateTimeOffset ToUtc,
    long Runs,
    long Succeeded,
    long Failed,
    long Cancelled,
    long Skipped,
    double? SuccessRate,
    double? DurationP50Ms,
    double? DurationP95Ms,
    double? DurationMaxMs,
    LatenessSummary Lateness);
