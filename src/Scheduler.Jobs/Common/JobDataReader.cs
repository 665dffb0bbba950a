using System.Globalization;
using Quartz;

namespace Scheduler.Jobs.Common;

/// <summary>Job data as the strings configuration stored.</summary>
public static class JobDataReader
{
    public static IReadOnlyDictionary<string, string> Strings(JobDataMap map) =>
        map.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => Convert.ToString(p.Value, CultureInfo.InvariantCulture)!, StringComparer.Ordinal);
}
