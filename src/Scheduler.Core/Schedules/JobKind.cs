namespace Scheduler.Core.Schedules;

/// <summary>
/// A job type configuration can name: a built-in kind (<c>sql</c>, <c>http</c>) or a shipped <c>IJob</c> class.
/// </summary>
/// <param name="Name">What <c>Type</c> says in configuration (compared case-insensitively).</param>
/// <param name="JobType">The <c>IJob</c> class.</param>
/// <param name="ToJobData">The kind's own keys of the entry (e.g. <c>Sql</c>, <c>Url</c>) as job data; null for none.</param>
/// <param name="ValidateJobData">Problems with the resulting job data, each a sentence; null when the kind checks nothing.</param>
/// <param name="OwnKeys">
/// The job data keys that say what the kind does (the statement, the URL, its headers…). Only configuration sets them:
/// data given when a job is triggered by hand may never name one, in any letter case.
/// </param>
public sealed record JobKind(
    string Name,
    Type JobType,
    Func<JobDefinition, IReadOnlyDictionary<string, string>>? ToJobData = null,
    Func<IReadOnlyDictionary<string, string>, IEnumerable<string>>? ValidateJobData = null,
    IReadOnlyCollection<string>? OwnKeys = null);
