using System.Globalization;

namespace Scheduler.Tests.Infrastructure;

/// <summary>How long a fault scenario lasts: its CI default, or SCHEDULER_SCENARIO_SECONDS when scripts/faults.sh sets a longer window.</summary>
public static class ScenarioWindow
{
    public static TimeSpan Or(TimeSpan ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable("SCHEDULER_SCENARIO_SECONDS"), CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : ciDefault;
}
