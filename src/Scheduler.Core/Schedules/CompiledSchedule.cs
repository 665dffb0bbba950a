using Quartz;

namespace Scheduler.Core.Schedules;

/// <summary>A definition turned into what Quartz stores: the job, its triggers, and a fingerprint of the entry.</summary>
/// <param name="Definition">The entry it came from.</param>
/// <param name="Job">The durable job detail.</param>
/// <param name="Triggers">One cron trigger per expression; none for a pure continuation.</param>
/// <param name="Fingerprint">Hex SHA-256 of <paramref name="Summary"/>: unchanged fingerprint, unchanged entry.</param>
/// <param name="Summary">The entry as applied, as JSON (header values left out).</param>
public sealed record CompiledSchedule(
    JobDefinition Definition,
    IJobDetail Job,
    IReadOnlyList<ITrigger> Triggers,
    string Fingerprint,
    string Summary);
