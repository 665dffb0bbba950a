using System.Globalization;

namespace Scheduler.Web.Dashboard;

/// <summary>Numbers and times as an operator reads them: <c>21 s</c> rather than <c>21242 ms</c>, <c>3 min ago</c> beside the UTC time.</summary>
public static class Humanize
{
    /// <summary>A duration in the largest unit that keeps it readable, with at most two units (<c>3 min 5 s</c>); "—" for null.</summary>
    public static string Duration(double? milliseconds)
    {
        if (milliseconds is not { } ms || !double.IsFinite(ms))
        {
            return "—";
        }

        var t = TimeSpan.FromMilliseconds(Math.Max(0, ms));
        return t.TotalSeconds switch
        {
            < 1 => ms < 10 ? Invariant($"{ms:0.#} ms") : Invariant($"{ms:0} ms"),
            < 10 => Invariant($"{t.TotalSeconds:0.#} s"),
            < 60 => Invariant($"{t.TotalSeconds:0} s"),
            < 3600 => Two(t.Minutes, "min", t.Seconds, "s"),
            < 86400 => Two(t.Hours, "h", t.Minutes, "min"),
            _ => Two((int)t.TotalDays, "d", t.Hours, "h"),
        };
    }

    /// <summary>How long before <paramref name="now"/> (or after, for a future time) <paramref name="time"/> is: <c>3 min ago</c>, <c>in 2 h</c>.</summary>
    public static string Relative(DateTimeOffset time, DateTimeOffset now)
    {
        var span = now - time;
        var magnitude = span.Duration();
        if (magnitude < TimeSpan.FromSeconds(1))
        {
            return "now";
        }

        var text = magnitude.TotalSeconds switch
        {
            < 60 => Invariant($"{(int)magnitude.TotalSeconds} s"),
            < 3600 => Invariant($"{(int)magnitude.TotalMinutes} min"),
            < 172800 => Invariant($"{(int)magnitude.TotalHours} h"),
            _ => Invariant($"{(int)magnitude.TotalDays} d"),
        };
        return span > TimeSpan.Zero ? text + " ago" : "in " + text;
    }

    /// <summary>The UTC time to the second, as every page shows it: <c>2026-11-30 08:12:03Z</c>.</summary>
    public static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A count with thousands separators: <c>12,345</c>.</summary>
    public static string Count(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>The first line of <paramref name="text"/>, cut at <paramref name="max"/> characters with an ellipsis.</summary>
    public static string FirstLine(string? text, int max = 160)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var end = text.IndexOfAny(['\r', '\n']);
        var line = end < 0 ? text : text[..end];
        return line.Length <= max && end < 0 ? line : (line.Length <= max ? line : line[..max]) + "…";
    }

    private static string Two(int major, string majorUnit, int minor, string minorUnit) =>
        minor == 0 ? Invariant($"{major} {majorUnit}") : Invariant($"{major} {majorUnit} {minor} {minorUnit}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
