using System.Globalization;

namespace Scheduler.Core.Operations;

/// <summary>
/// What a job, trigger or group name and an operator's reason may contain, for configuration, the API, the dashboard and
/// the CLI alike: no control characters, and no invisible formatting characters (bidi overrides such as U+202E, zero-width
/// joiners) that make a name or a reason read differently from what it is.
/// </summary>
public static class NameRules
{
    /// <summary>The longest job, trigger or group name accepted (Quartz's columns hold 200).</summary>
    public const int MaxNameLength = 200;

    /// <summary>Why <paramref name="name"/> is not acceptable as a name, or null when it is.</summary>
    public static string? NameProblem(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "is empty";
        }

        if (name.Length > MaxNameLength)
        {
            return $"is longer than {MaxNameLength} characters";
        }

        return name.Any(char.IsControl) ? "contains a control character" : Invisible(name);
    }

    /// <summary>Why <paramref name="text"/> is not acceptable as free text (a reason), or null: line breaks and tabs are fine.</summary>
    public static string? TextProblem(string text) =>
        text.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t') ? "contains a control character" : Invisible(text);

    private static string? Invisible(string text)
    {
        foreach (var c in text)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                return string.Create(CultureInfo.InvariantCulture, $"contains the invisible formatting character U+{(int)c:X4}");
            }
        }

        return null;
    }
}
