using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Quartz;
using Scheduler.Core.Retries;

namespace Scheduler.Core.Schedules;

/// <summary>Turns a valid <see cref="JobDefinition"/> into a Quartz job and triggers, using Quartz's own policies for each setting.</summary>
public sealed class ScheduleCompiler(JobKindRegistry kinds)
{
    /// <summary>Job data key naming the configuration entry a job came from.</summary>
    public const string EntryKey = "scheduler.entry";

    // Policies as their names, as configuration spells them: a fingerprint must not change when a string became an enum.
    private static readonly JsonSerializerOptions SummaryJson = new() { WriteIndented = false, Converters = { new JsonStringEnumConverter() } };

    /// <summary>Compiles a definition the validator accepted.</summary>
    /// <exception cref="InvalidOperationException">The definition was not validated first.</exception>
    public CompiledSchedule Compile(JobDefinition d)
    {
        var kind = kinds.Find(d.Type) ?? throw new InvalidOperationException($"{ScheduleReader.SectionName}:{d.Name}:Type '{d.Type}' is unknown.");
        var jobKey = new JobKey(d.Name, d.Group);
        var data = new JobDataMap();
        foreach (var (key, value) in d.Data)
        {
            data[key] = value;
        }

        foreach (var (key, value) in kind.ToJobData?.Invoke(d) ?? new Dictionary<string, string>())
        {
            data[key] = value;
        }

        data[EntryKey] = d.Name;
        if (d.Retry is not null)
        {
            data[RetryPlan.JobDataKey] = RetryPlan.From(d.Retry).ToJson();
        }

        if (d.SecretData.Count > 0)
        {
            data[Operations.TriggerData.SecretKeysKey] = string.Join(',', d.SecretData);
        }
        var job = JobBuilder.Create().OfType(kind.JobType)
            .WithIdentity(jobKey)
            .WithDescription(d.Description)
            .UsingJobData(data)
            .RequestRecovery(d.RequestsRecovery)
            .DisallowConcurrentExecution(d.NoConcurrentExecution)
            .StoreDurably(true)
            .Build();

        var zone = FindZone(d.TimeZone)!;
        var triggers = d.Cron.Select((cron, i) => BuildTrigger(d, jobKey, cron, zone, d.Cron.Count == 1 ? d.Name : $"{d.Name}-{i + 1}")).ToList();
        var summary = Summarize(d, kind);
        return new CompiledSchedule(d, job, triggers, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(summary))), summary);
    }

    /// <summary>The IANA (or Windows) zone with this id, or null.</summary>
    public static TimeZoneInfo? FindZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;

    private static ITrigger BuildTrigger(JobDefinition d, JobKey jobKey, string cron, TimeZoneInfo zone, string name)
    {
        var builder = TriggerBuilder.Create()
            .WithIdentity(name, d.Group)
            .ForJob(jobKey)
            .WithDescription(d.Description)
            .WithPriority(d.Priority)
            .WithCronSchedule(cron, c => c.InTimeZone(zone).WithMisfireInstruction(ToMisfire(d.Misfire)))
            .WithOverlapPolicy(ToOverlap(d.Overlap))
            // Retries are the service's (one-shot triggers bound to the occurrence): Quartz's own stays off, inherited ones too.
            .WithRetryPolicy(RetryPolicy.None);

        if (!string.IsNullOrWhiteSpace(d.ExecutionGroup))
        {
            builder = builder.WithExecutionGroup(d.ExecutionGroup);
        }

        return builder.Build();
    }

    private static CronTriggerMisfireInstruction ToMisfire(MisfireSetting policy) => policy switch
    {
        MisfireSetting.FireNow => CronTriggerMisfireInstruction.FireAndProceed,
        MisfireSetting.DoNothing => CronTriggerMisfireInstruction.DoNothing,
        MisfireSetting.CatchUp => CronTriggerMisfireInstruction.IgnoreMisfires,
        _ => CronTriggerMisfireInstruction.SmartPolicy,
    };

    private static OverlapPolicy ToOverlap(OverlapSetting policy) => policy switch
    {
        OverlapSetting.Skip => OverlapPolicy.Skip,
        OverlapSetting.Wait => OverlapPolicy.BufferOne,
        OverlapSetting.CancelPrevious => OverlapPolicy.CancelPrevious,
        _ => OverlapPolicy.Default,
    };

    private static string Summarize(JobDefinition d, JobKind kind) => JsonSerializer.Serialize(new
    {
        type = kind.JobType.FullName,
        d.Group,
        d.Description,
        d.Cron,
        d.TimeZone,
        d.Paused,
        d.Misfire,
        d.Retry,
        // Changes the summary of entries stored while Retry meant Quartz's RetryPolicy, so reconcile replaces their triggers.
        retries = d.Retry is null ? null : "service",
        timeout = d.Timeout?.ToString("c"),
        d.Overlap,
        d.NoConcurrentExecution,
        d.ExecutionGroup,
        d.RequestsRecovery,
        d.Priority,
        data = d.Data.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(),
        secretData = d.SecretData.Order(StringComparer.Ordinal).ToList(),
        d.Sql,
        d.Connection,
        d.Url,
        d.Method,
        // Header names only: values may be secrets, and a changed value should not be stored anywhere.
        headers = d.Headers.Keys.Order(StringComparer.Ordinal).ToList(),
        headerValuesHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
            string.Join('\n', d.Headers.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value))))),
        d.Body,
        d.ExpectedStatus,
        d.After,
    }, SummaryJson);
}
