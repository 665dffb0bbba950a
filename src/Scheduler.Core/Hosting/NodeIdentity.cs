using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Scheduler.Core.Hosting;

/// <summary>
/// Settles this node's cluster id once, before anything logs or schedules: <c>Quartz:Scheduler:InstanceId</c>
/// (environment <c>Quartz__Scheduler__InstanceId</c>) when set, otherwise <c>{host name}-{pid}</c>.
/// </summary>
public static class NodeIdentity
{
    /// <summary>The configuration key Quartz reads the instance id from.</summary>
    public const string InstanceIdKey = "Quartz:Scheduler:InstanceId";

    /// <summary>Values that mean "no id chosen" to Quartz.</summary>
    private static readonly string[] Unset = ["", "AUTO", "NON_CLUSTERED"];

    /// <summary>Returns the configured id, or generates one and writes it back so Quartz and the logs agree.</summary>
    public static string Resolve(IConfigurationManager configuration)
    {
        var configured = configuration[InstanceIdKey]?.Trim() ?? "";
        if (!Unset.Contains(configured, StringComparer.OrdinalIgnoreCase))
        {
            return configured;
        }

        var generated = string.Create(
            CultureInfo.InvariantCulture, $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}");
        configuration[InstanceIdKey] = generated;
        return generated;
    }
}
