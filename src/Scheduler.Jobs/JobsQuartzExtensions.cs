using Microsoft.Extensions.Configuration;
using Quartz;
using Scheduler.Jobs.Heartbeat;

namespace Scheduler.Jobs;

/// <summary>Declares the jobs shipped with the service and their triggers on a Quartz builder.</summary>
public static class JobsQuartzExtensions
{
    /// <summary>The group the shipped sample jobs live in.</summary>
    public const string SampleGroup = "samples";

    /// <summary>Adds the shipped jobs as configured.</summary>
    /// <exception cref="InvalidOperationException">A schedule is invalid; the message names the key and the value.</exception>
    public static IQuartzBuilder AddSchedulerJobs(this IQuartzBuilder quartz, IConfiguration configuration)
    {
        var section = configuration.GetSection(HeartbeatOptions.SectionName);
        var heartbeat = new HeartbeatOptions();
        section.Bind(heartbeat, o => o.ErrorOnUnknownConfiguration = false);
        heartbeat.Cron = ReadCron(section.GetSection(nameof(HeartbeatOptions.Cron)), heartbeat.Cron);
        if (!heartbeat.Enabled)
        {
            return quartz;
        }

        for (var i = 0; i < heartbeat.Cron.Count; i++)
        {
            if (!CronExpression.TryParse(heartbeat.Cron[i], out _))
            {
                throw new InvalidOperationException(
                    $"{HeartbeatOptions.SectionName}:Cron '{heartbeat.Cron[i]}' is not a valid Quartz cron expression " +
                    "(six or seven fields, seconds first, e.g. '0/5 * * * * ?').");
            }
        }

        if (heartbeat.WorkDuration < TimeSpan.Zero || heartbeat.WorkDuration > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException(
                $"{HeartbeatOptions.SectionName}:WorkDuration '{heartbeat.WorkDuration}' must be between 00:00:00 and 01:00:00.");
        }

        var jobKey = new JobKey("heartbeat", SampleGroup);
        quartz.AddJob<HeartbeatJob>(job => job
            .WithIdentity(jobKey)
            .WithDescription("Sample: records which node ran each fire time")
            .UsingJobData(HeartbeatJob.WorkMillisecondsKey, (int)heartbeat.WorkDuration.TotalMilliseconds));
        for (var i = 0; i < heartbeat.Cron.Count; i++)
        {
            // Locals, not the loop variable: Quartz runs these callbacks after the loop has finished.
            var cron = heartbeat.Cron[i];
            var name = $"heartbeat-{i + 1}";
            quartz.AddTrigger(trigger => trigger
                .WithIdentity(name, SampleGroup)
                .ForJob(jobKey)
                .WithCronSchedule(cron, c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
        }

        return quartz;
    }

    /// <summary>A scalar value (as an environment variable sets it) wins over array entries; an empty section keeps the default.</summary>
    private static IReadOnlyList<string> ReadCron(IConfigurationSection section, IReadOnlyList<string> fallback)
    {
        if (section.Value is { } single)
        {
            return [single];
        }

        var entries = section.GetChildren().Select(c => c.Value ?? "").ToList();
        return entries.Count > 0 ? entries : fallback;
    }
}
