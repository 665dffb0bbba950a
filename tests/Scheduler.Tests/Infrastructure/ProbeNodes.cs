using Npgsql;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// Node processes whose heartbeat job is the probe of the fault scenarios: N triggers firing every second, catching up
/// missed fires, requesting recovery — and the audit of what they recorded.
/// </summary>
public static class ProbeNodes
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The probe's trigger names for <paramref name="count"/> triggers.</summary>
    public static IReadOnlyList<string> Triggers(int count) => Enumerable.Range(1, count).Select(i => $"heartbeat-{i}").ToList();

    /// <summary>Starts one node whose heartbeat has <paramref name="triggerCount"/> every-second triggers.</summary>
    public static SchedulerProcess Start(TestDatabase db, string id, int triggerCount, params (string Key, string Value)[] extra)
    {
        var env = NodeEnvironment.For(db, id, [("Scheduler__Jobs__heartbeat__Misfire", "CatchUp"), ("Scheduler__Jobs__heartbeat__RequestsRecovery", "true"), .. extra]);
        env.Remove("Scheduler__Jobs__heartbeat__Cron");
        for (var i = 0; i < triggerCount; i++)
        {
            env[$"Scheduler__Jobs__heartbeat__Cron__{i}"] = "* * * * * ?";
        }

        return SchedulerProcess.Start(id, ["run", "--urls", "http://127.0.0.1:0"], env);
    }

    /// <summary>Audits once late fires (catch-up, recovery) have had time to land: until nothing is missing, or 30 s.</summary>
    public static async Task<OccurrenceAudit> SettledAuditAsync(TestDatabase db, IReadOnlyList<string> triggers, DateTimeOffset from, DateTimeOffset to)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            OccurrenceAudit? audit = null;
            try
            {
                audit = await OccurrenceAudit.ForEverySecondAsync(db, triggers, from, to);
            }
            catch (NpgsqlException) when (DateTimeOffset.UtcNow < deadline)
            {
                // The server may just have restarted: the pool's old connections are dead.
                db.DataSource.Clear();
            }

            if (audit is not null && (audit.Missing == 0 || DateTimeOffset.UtcNow > deadline))
            {
                return audit;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>SIGTERM to every node still running, then waits for each and disposes it.</summary>
    public static async Task StopAllAsync(IEnumerable<SchedulerProcess> nodes)
    {
        var list = nodes.ToList();
        foreach (var node in list.Where(n => !n.HasExited))
        {
            node.Terminate();
        }

        foreach (var node in list)
        {
            await node.WaitForExitAsync(StopTimeout);
            await node.DisposeAsync();
        }
    }
}
