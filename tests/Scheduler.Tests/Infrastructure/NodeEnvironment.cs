namespace Scheduler.Tests.Infrastructure;

/// <summary>The environment a test node runs with: ops' interface (<c>ConnectionStrings__Scheduler</c>, <c>Quartz__Scheduler__InstanceId</c>).</summary>
public static class NodeEnvironment
{
    public static Dictionary<string, string?> For(TestDatabase database, string? instanceId = null, params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Scheduler"] = database.ConnectionString,
            // The sample heartbeat job (config/heartbeat.json's entry, firing every second): the tests' probe.
            ["Scheduler__Jobs__heartbeat__Type"] = "heartbeat",
            ["Scheduler__Jobs__heartbeat__Group"] = "samples",
            ["Scheduler__Jobs__heartbeat__Misfire"] = "DoNothing",
            ["Scheduler__Jobs__heartbeat__RequestsRecovery"] = "false",
            ["Scheduler__Jobs__heartbeat__Cron"] = "* * * * * ?",
            ["Scheduler__Database__StartupTimeout"] = "00:00:20",
            ["Serilog__MinimumLevel__Default"] = "Information",
        };
        if (instanceId is not null)
        {
            env["Quartz__Scheduler__InstanceId"] = instanceId;
        }

        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        return env;
    }
}
