using System.Globalization;
using Quartz;
using Scheduler.Core.Fencing;

namespace Scheduler.Jobs.Tasks;

/// <summary>What the sample task jobs read from their job data, and the instant they treat as "now".</summary>
public static class SampleJobSettings
{
    /// <summary>Job data key: rows per transaction (default 500, 1–10,000).</summary>
    public const string BatchSizeKey = "batchSize";

    public static int BatchSize(IJobExecutionContext context) => WholeNumber(context, BatchSizeKey, 500, 1, 10_000);

    /// <summary>An integer job data value, or <paramref name="fallback"/>; out of range is the job's failure, naming the key.</summary>
    public static int WholeNumber(IJobExecutionContext context, string key, int fallback, int min, int max)
    {
        if (!context.MergedJobDataMap.TryGetValue(key, out var raw) || raw is null)
        {
            return fallback;
        }

        return int.TryParse(Convert.ToString(raw, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
               && value >= min && value <= max
            ? value
            : throw new JobExecutionException($"{context.JobDetail.Key}: job data '{key}' = '{raw}' must be a whole number from {min} to {max}.");
    }

    /// <summary>
    /// The occurrence's scheduled fire time: the jobs' "now", so every run of one occurrence (a retry, a recovery)
    /// computes the same cut-offs and dates.
    /// </summary>
    public static DateTimeOffset Now(IJobExecutionContext context) =>
        (FencedOccurrence.Current?.Key ?? OccurrenceKey.For(context)).ScheduledFireTime;
}
