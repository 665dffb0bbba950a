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
        var heartbeat = configuration.GetSection(HeartbeatOptions.SectionName).Get<HeartbeatOptions>() ?? new HeartbeatOptions();
        if (!heartbeat.Enabled)
        {
            return quartz;
        }

        if (!CronExpression.TryParse(heartbeat.Cron, out _))
        {
            throw new InvalidOperationException(
                $"{HeartbeatOptions.SectionName}:Cron '{heartbeat.Cron}' is not a valid Quartz cron expression " +
                "(six or seven fields, seconds first, e.g. '0/5 * * * * ?').");
        }

        if (heartbeat.WorkDuration < TimeSpan.Zero || heartbeat.WorkDuration > TimeSpan.FromHours(1))
        {
            throw new InvalidOperationException(
                $"{HeartbeatOptions.SectionName}:WorkDuration '{heartbeat.WorkDuration}' must be between 00:00:00 and 01:00:00.");
        }

        quartz.ScheduleJob<HeartbeatJob>(
            trigger => trigger
                .WithIdentity("heartbeat", SampleGroup)
                .WithDescription("Sample: records which node ran each fire time")
                .WithCronSchedule(heartbeat.Cron, cron => cron.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)),
            job => job
                .WithIdentity("heartbeat", SampleGroup)
                .UsingJobData(HeartbeatJob.WorkMillisecondsKey, (int)heartbeat.WorkDuration.TotalMilliseconds));
        return quartz;
    }
}
