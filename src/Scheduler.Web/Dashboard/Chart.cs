using System.Globalization;

namespace Scheduler.Web.Dashboard;

/// <summary>Arithmetic and colours shared by the server-rendered SVG charts.</summary>
public static class Chart
{
    /// <summary>The smallest 1, 2 or 5 × 10ⁿ at or above <paramref name="value"/> (at least 1): the top of a readable axis.</summary>
    public static double NiceCeiling(double value)
    {
        if (!(value > 1))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1d, 2, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    /// <summary>An SVG coordinate, always with a dot and never in the server's culture.</summary>
    public static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>The fill of an outcome, matching the legend's swatches in dashboard.css.</summary>
    public static string Colour(string? result) => result switch
    {
        "failed" => "#cf222e",
        "cancelled" => "#bf8700",
        "skipped" => "#8c959f",
        _ => "#2da44e",
    };

    /// <summary>Hours and minutes in UTC, for axis ticks.</summary>
    public static string Clock(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
}
