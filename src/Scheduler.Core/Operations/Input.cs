using System.Globalization;
using Quartz;

namespace Scheduler.Core.Operations;

/// <summary>
/// The input rules of the operator surface — API, dashboard and CLI alike: sizes, names, enums, times, windows, checked
/// before a value reaches Quartz. Every refusal is an <see cref="OperatorException"/> of kind Invalid naming the parameter,
/// which the API answers as a 400, the dashboard as a notice and the CLI with exit code 2.
/// </summary>
public static class Input
{
    /// <summary>The longest job, trigger or group name accepted (Quartz's columns hold 200).</summary>
    public const int MaxNameLength = NameRules.MaxNameLength;

    /// <summary>The longest reason accepted (Quartz keeps up to <see cref="PauseDetails.MaxReasonLength"/>).</summary>
    public const int MaxReasonLength = 500;

    public const int MaxDataEntries = 50;

    public const int MaxDataValueLength = 8192;

    public const int DefaultTake = 50;

    public const int MaxTake = 500;

    public static string Name(string parameter, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw OperatorException.Invalid($"'{parameter}' is required.");
        }

        if (NameRules.NameProblem(value) is { } problem)
        {
            throw OperatorException.Invalid($"'{parameter}' {problem}: names are at most {MaxNameLength} visible characters.");
        }

        return value;
    }

    public static string? OptionalName(string parameter, string? value) => string.IsNullOrEmpty(value) ? null : Name(parameter, value);

    public static JobKey Job(string group, string name) => new(Name("name", name), Name("group", group));

    public static TriggerKey Trigger(string group, string name) => new(Name("name", name), Name("group", group));

    public static string? Reason(string? reason)
    {
        if (reason is null)
        {
            return null;
        }

        if (reason.Length > MaxReasonLength)
        {
            throw OperatorException.Invalid($"'reason' must be at most {MaxReasonLength} characters of text.");
        }

        if (NameRules.TextProblem(reason) is { } problem)
        {
            throw OperatorException.Invalid($"'reason' {problem}.");
        }

        return string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
    }

    public static IReadOnlyDictionary<string, string>? Data(IReadOnlyDictionary<string, string>? data)
    {
        if (data is null)
        {
            return null;
        }

        if (data.Count > MaxDataEntries)
        {
            throw OperatorException.Invalid($"'data' has {data.Count} entries; at most {MaxDataEntries} are accepted.");
        }

        foreach (var (key, value) in data)
        {
            Name($"data key '{Truncate(key)}'", key);
            if (value is null || value.Length > MaxDataValueLength)
            {
                throw OperatorException.Invalid($"'data.{Truncate(key)}' must be a string of at most {MaxDataValueLength} characters.");
            }
        }

        return data;
    }

    public static (int Skip, int Take) Paging(int? skip, int? take)
    {
        if (skip is < 0 or > 1_000_000)
        {
            throw OperatorException.Invalid("'skip' must be between 0 and 1000000.");
        }

        if (take is < 1 or > MaxTake)
        {
            throw OperatorException.Invalid($"'take' must be between 1 and {MaxTake}.");
        }

        return (skip ?? 0, take ?? DefaultTake);
    }

    public static TriggerState? State(string? state)
    {
        if (string.IsNullOrEmpty(state))
        {
            return null;
        }

        if (!Enum.TryParse<TriggerState>(state, ignoreCase: true, out var parsed) || parsed == TriggerState.None || int.TryParse(state, out _))
        {
            throw OperatorException.Invalid($"'state' is '{Truncate(state)}'; use one of normal, paused, complete, error, blocked.");
        }

        return parsed;
    }

    /// <summary>Comma-separated results: succeeded, failed, cancelled, skipped.</summary>
    public static IReadOnlyCollection<JobRunResult>? Outcomes(string? outcome)
    {
        if (string.IsNullOrEmpty(outcome))
        {
            return null;
        }

        var results = new List<JobRunResult>();
        foreach (var part in outcome.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!Enum.TryParse<JobRunResult>(part, ignoreCase: true, out var parsed) || int.TryParse(part, out _))
            {
                throw OperatorException.Invalid($"'outcome' has '{Truncate(part)}'; use succeeded, failed, cancelled or skipped (comma-separated).");
            }

            results.Add(parsed);
        }

        return results;
    }

    /// <summary>An ISO 8601 instant (an offset or Z required).</summary>
    public static DateTimeOffset? Instant(string parameter, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            throw OperatorException.Invalid($"'{parameter}' is '{Truncate(value)}'; use an ISO 8601 time such as 2026-01-31T12:00:00Z.");
        }

        return parsed.ToUniversalTime();
    }

    /// <summary>A duration: <c>30m</c>, <c>24h</c>, <c>7d</c>, or a TimeSpan such as <c>1.00:00:00</c>; between one minute and 90 days.</summary>
    public static TimeSpan Window(string parameter, string? value, TimeSpan fallback)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        // Bounded before converting: TimeSpan.FromDays(1e308) or NaN throws, and a refusal must be a 400, never a 500.
        static TimeSpan? Units(string number, double perDay) =>
            double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && double.IsFinite(n) && n >= 0 && n / perDay <= 90
                ? TimeSpan.FromDays(n / perDay)
                : null;
        TimeSpan? parsed = value[^1] switch
        {
            'm' => Units(value[..^1], 24 * 60),
            'h' => Units(value[..^1], 24),
            'd' => Units(value[..^1], 1),
            _ when TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var t) => t,
            _ => null,
        };
        if (parsed is not { } window || window < TimeSpan.FromMinutes(1) || window > TimeSpan.FromDays(90))
        {
            throw OperatorException.Invalid($"'{parameter}' is '{Truncate(value)}'; use 30m, 24h, 7d (between 1 minute and 90 days).");
        }

        return window;
    }

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
