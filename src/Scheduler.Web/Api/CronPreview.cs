using Quartz;
using Scheduler.Core.Operations;

namespace Scheduler.Web.Api;

/// <summary>Checks a cron expression and zone the way a schedule entry is checked, and lists its next fire times.</summary>
public static class CronPreview
{
    public const int MaxExpressionLength = 200;

    /// <summary>The next <paramref name="count"/> fire times (1–50) in UTC and in the zone.</summary>
    /// <exception cref="OperatorException">The expression or zone is invalid (Invalid), with Quartz's reason.</exception>
    public static object Next(string? expression, string? timeZone, int count)
    {
        if (string.IsNullOrWhiteSpace(expression) || expression.Length > MaxExpressionLength)
        {
            throw OperatorException.Invalid($"'expression' is required, at most {MaxExpressionLength} characters.");
        }

        if (count is < 1 or > 50)
        {
            throw OperatorException.Invalid("'count' must be between 1 and 50.");
        }

        TimeZoneInfo zone;
        try
        {
            zone = string.IsNullOrEmpty(timeZone) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw OperatorException.Invalid($"'timeZone' '{timeZone}' is not a known time zone (use an IANA id such as Europe/Paris).");
        }

        CronExpression cron;
        try
        {
            cron = new CronExpression(expression, zone);
        }
        catch (FormatException e)
        {
            throw OperatorException.Invalid($"'expression' is not a valid Quartz cron expression: {e.Message}");
        }

        var times = new List<object>();
        var after = DateTimeOffset.UtcNow;
        while (times.Count < count && cron.GetNextValidTimeAfter(after) is { } next)
        {
            times.Add(new { utc = next, local = TimeZoneInfo.ConvertTime(next, zone) });
            after = next;
        }

        return new { expression, timeZone = zone.Id, next = times };
    }
}
