using Quartz;

namespace Scheduler.Core.Schedules;

/// <summary>
/// Checks job entries offline: cron parses, zone exists, type resolves, retry bounds are sane, continuations point at
/// entries that exist (policy names were parsed, and refused ones reported, by <see cref="ScheduleReader"/>). Each problem names the entry's key and the bad value.
/// </summary>
public sealed class ScheduleValidator(JobKindRegistry kinds)
{
    /// <summary>Every problem found, as <c>Scheduler:Jobs:&lt;name&gt;:&lt;Key&gt;: message</c>; empty when all is well.</summary>
    public IReadOnlyList<string> Validate(IReadOnlyList<JobDefinition> definitions)
    {
        var problems = new List<string>();
        foreach (var definition in definitions)
        {
            ValidateEntry(definition, problems.Add);
        }

        var enabled = definitions.Where(d => d.Enabled).ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var duplicate in definitions.GroupBy(d => (d.Group.ToUpperInvariant(), d.Name.ToUpperInvariant())).Where(g => g.Count() > 1))
        {
            problems.Add($"{ScheduleReader.SectionName}: entries {string.Join(", ", duplicate.Select(d => d.Name))} share the job key '{duplicate.First().Group}.{duplicate.First().Name}'");
        }

        foreach (var definition in enabled.Values.Where(d => d.After is not null))
        {
            ValidateContinuation(definition, enabled, problems.Add);
        }

        return problems;
    }

    private void ValidateEntry(JobDefinition d, Action<string> problem)
    {
        void Bad(string key, string message) => problem($"{ScheduleReader.SectionName}:{d.Name}:{key}: {message}");

        var kind = kinds.Find(d.Type);
        if (string.IsNullOrWhiteSpace(d.Type))
        {
            Bad("Type", $"missing; expected one of {string.Join(", ", kinds.KnownNames)}");
        }
        else if (kind is null)
        {
            Bad("Type", $"'{d.Type}' is not a known job type; expected one of {string.Join(", ", kinds.KnownNames)}");
        }

        if (Operations.NameRules.NameProblem(d.Group) is { } groupProblem)
        {
            Bad("Group", $"'{d.Group}' {groupProblem}; use 1 to 200 visible characters");
        }
        else if (d.Group.Contains('/', StringComparison.Ordinal))
        {
            Bad("Group", $"'{d.Group}' contains '/', which the API's /api/jobs/{{group}}/{{name}} routes cannot address");
        }

        if (Operations.NameRules.NameProblem(d.Name) is { } nameProblem)
        {
            Bad("Name", $"the entry name {nameProblem}; use 1 to 200 visible characters");
        }
        else if (d.Name.Contains('/', StringComparison.Ordinal))
        {
            Bad("Name", "the entry name contains '/', which the API's /api/jobs/{group}/{name} routes cannot address");
        }

        foreach (var key in d.Data.Keys.Where(k => k.StartsWith(Operations.TriggerData.ReservedPrefix, StringComparison.OrdinalIgnoreCase)))
        {
            Bad($"Data:{key}", $"uses the reserved prefix '{Operations.TriggerData.ReservedPrefix}'; the service sets those keys itself");
        }

        if (d.Cron.Count == 0 && d.After is null)
        {
            Bad("Cron", "missing: give a cron expression (or an array of them), or After to run as a continuation");
        }

        foreach (var cron in d.Cron)
        {
            if (!CronExpression.TryParse(cron, out _))
            {
                Bad("Cron", $"'{cron}' is not a valid Quartz cron expression (six or seven fields, seconds first, e.g. '0 0 3 * * ?')");
            }
        }

        if (ScheduleCompiler.FindZone(d.TimeZone) is null)
        {
            Bad("TimeZone", $"'{d.TimeZone}' is not a known IANA time zone (e.g. 'Europe/Berlin', 'UTC')");
        }

        ValidateRetry(d.Retry, Bad);

        if (d.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromDays(1)))
        {
            Bad("Timeout", $"'{timeout}' must be more than 0 and at most 1.00:00:00");
        }

        if (d.SucceedWithin is { } window && (window < TimeSpan.FromSeconds(1) || window > TimeSpan.FromDays(366)))
        {
            Bad("SucceedWithin", $"'{window}' must be at least 00:00:01 and at most 366.00:00:00");
        }

        if (d.ExecutionGroup is { Length: > 200 })
        {
            Bad("ExecutionGroup", "must be at most 200 characters");
        }

        if (kind is not null)
        {
            ValidateKindData(d, kind, Bad);
        }
    }

    private static void ValidateKindData(JobDefinition d, JobKind kind, Action<string, string> bad)
    {
        var kindData = kind.ToJobData?.Invoke(d) ?? new Dictionary<string, string>();
        if (kind.ToJobData is null)
        {
            foreach (var (key, set) in KindOnlyKeys(d).Where(k => k.Set))
            {
                bad(key, $"applies only to the built-in kinds that use it (sql, http), not to Type '{d.Type}'");
            }

            if (d.Timeout is not null)
            {
                bad("Timeout", $"applies to the sql and http kinds; the job class of Type '{d.Type}' declares [JobTimeout] instead");
            }
        }

        foreach (var key in d.Data.Keys.Where(kindData.ContainsKey))
        {
            bad($"Data:{key}", $"is set by the entry's own keys for Type '{d.Type}'; remove it from Data");
        }

        var merged = new Dictionary<string, string>(d.Data, StringComparer.Ordinal);
        foreach (var (key, value) in kindData)
        {
            merged[key] = value;
        }

        foreach (var message in kind.ValidateJobData?.Invoke(merged) ?? [])
        {
            bad("Type", $"{d.Type}: {message}");
        }
    }

    private static IEnumerable<(string Key, bool Set)> KindOnlyKeys(JobDefinition d) =>
    [
        (nameof(d.Sql), d.Sql is not null), (nameof(d.Connection), d.Connection is not null), (nameof(d.Url), d.Url is not null),
        (nameof(d.Method), d.Method is not null), (nameof(d.Headers), d.Headers.Count > 0), (nameof(d.Body), d.Body is not null),
        (nameof(d.ExpectedStatus), d.ExpectedStatus is not null),
    ];

    private static void ValidateRetry(RetryDefinition? retry, Action<string, string> bad)
    {
        if (retry is null)
        {
            return;
        }

        if (retry.Attempts is < 1 or > 100)
        {
            bad("Retry:Attempts", $"'{retry.Attempts}' must be 1 to 100");
        }

        if (retry.Delay < TimeSpan.Zero || retry.Delay > TimeSpan.FromDays(1))
        {
            bad("Retry:Delay", $"'{retry.Delay}' must be between 00:00:00 and 1.00:00:00");
        }

        if (retry.Factor < 1)
        {
            bad("Retry:Factor", $"'{retry.Factor}' must be at least 1");
        }

        if (retry.MaxDelay is { } max && max < retry.Delay)
        {
            bad("Retry:MaxDelay", $"'{max}' must not be shorter than Retry:Delay '{retry.Delay}'");
        }

        if (retry.Jitter is < 0 or > 1)
        {
            bad("Retry:Jitter", $"'{retry.Jitter}' must be between 0 and 1");
        }

        foreach (var (key, names) in new[] { ("Retry:RetryOn", retry.RetryOn), ("Retry:NoRetryOn", retry.NoRetryOn) })
        {
            if (names.FirstOrDefault(n => string.IsNullOrWhiteSpace(n) || n.Length > 200) is { } name)
            {
                bad(key, $"'{name}' must be an exception type name");
            }
        }
    }

    private static void ValidateContinuation(JobDefinition d, Dictionary<string, JobDefinition> enabled, Action<string> problem)
    {
        var after = d.After!;
        var prefix = $"{ScheduleReader.SectionName}:{d.Name}:After";
        if (!enabled.ContainsKey(after.Job))
        {
            problem($"{prefix}:Job: '{after.Job}' is not an enabled entry of {ScheduleReader.SectionName}");
        }
        else if (string.Equals(after.Job, d.Name, StringComparison.OrdinalIgnoreCase) || LeadsBackTo(d.Name, after.Job, enabled))
        {
            problem($"{prefix}:Job: '{after.Job}' makes a cycle of continuations back to '{d.Name}'");
        }
    }

    private static bool LeadsBackTo(string origin, string start, Dictionary<string, JobDefinition> enabled)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var current = start; enabled.TryGetValue(current, out var d) && d.After is not null && seen.Add(current); current = d.After.Job)
        {
            if (string.Equals(d.After.Job, origin, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
