using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Quartz;
using Scheduler.Core.Schedules;

namespace Scheduler.Core.Operations;

/// <summary>
/// The data an operator may hand a job triggered by hand. What a job does is fixed by configuration or code: runtime data
/// may add keys a job reads, but never name a key of the job's kind (the <c>sql</c> statement, the <c>http</c> URL…), a
/// key the job's configuration sets, or the reserved <c>scheduler.</c> prefix — in any letter case.
/// </summary>
public sealed class TriggerData(JobKindRegistry kinds)
{
    /// <summary>Keys the service keeps for itself (replays, retries, configuration bookkeeping).</summary>
    public const string ReservedPrefix = "scheduler.";

    /// <summary>Job data listing (comma-separated) the runtime keys whose values the audit records only as a hash.</summary>
    public const string SecretKeysKey = "scheduler.secretData";

    /// <summary>Refuses data that would change what <paramref name="job"/> does, naming the first offending key.</summary>
    /// <exception cref="OperatorException">Invalid: a key is reserved, or one the job's kind or configuration owns.</exception>
    public void Check(IJobDetail job, IReadOnlyDictionary<string, string>? data)
    {
        if (data is null)
        {
            return;
        }

        var owned = OwnedKeys(job);
        foreach (var key in data.Keys)
        {
            if (key.StartsWith(ReservedPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw OperatorException.Invalid($"'data.{key}' uses the reserved prefix '{ReservedPrefix}': the service sets those keys itself.");
            }

            if (owned.TryGetValue(key, out var own))
            {
                throw OperatorException.Invalid(
                    $"'data.{key}' would override the job's own setting '{own}': what a job does is fixed by its configuration; " +
                    "data given when triggering may only add keys the job does not configure.");
            }
        }
    }

    /// <summary>
    /// The data as the audit records it: every value as given, except those the job declares secret (configuration
    /// <c>SecretData</c>, or <see cref="SecretJobDataAttribute"/> on its class), recorded as <c>sha256:&lt;hex&gt;</c>.
    /// </summary>
    public static JsonElement? ForAudit(IJobDetail? job, IReadOnlyDictionary<string, string>? data)
    {
        if (data is not { Count: > 0 })
        {
            return null;
        }

        // A job whose class cannot be loaded cannot say which keys are secret: then every value is hashed.
        var secret = job is null ? null : SecretKeys(job);
        var recorded = data.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(
            p => p.Key,
            p => secret is null || secret.Contains(p.Key) ? "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(p.Value))) : p.Value,
            StringComparer.Ordinal);
        return JsonSerializer.SerializeToElement(recorded);
    }

    private Dictionary<string, string> OwnedKeys(IJobDetail job)
    {
        var owned = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in kinds.Find(job.JobType.Type)?.OwnKeys ?? [])
        {
            owned.TryAdd(key, key);
        }

        foreach (var key in job.JobDataMap.Keys)
        {
            owned.TryAdd(key, key);
        }

        return owned;
    }

    private static HashSet<string>? SecretKeys(IJobDetail job)
    {
        Type type;
        try
        {
            type = job.JobType.Type;
        }
#pragma warning disable CA1031 // Any failure to load the class means its declarations are unknown: hash everything.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }

        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (job.JobDataMap.TryGetString(SecretKeysKey, out var configured) && configured is not null)
        {
            keys.UnionWith(configured.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }

        foreach (var attribute in type.GetCustomAttributes<SecretJobDataAttribute>(inherit: true))
        {
            keys.UnionWith(attribute.Keys);
        }

        return keys;
    }
}
