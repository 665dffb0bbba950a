using System.CommandLine;
using Quartz;
using Scheduler.Core.Operations;

namespace Scheduler.Host.Commands;

/// <summary><c>scheduler status [--json]</c>: the cluster's nodes, what runs now, and failures in the last hour.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var json = OperatorVerb.JsonOption();
        var config = CommonOptions.Config();
        var command = new Command("status", "Show the cluster: nodes, running executions, failures in the last hour.") { json, config };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync("status", parse.GetValue(config), async c =>
        {
            var nodes = await c.Queries.NodesAsync(ct);
            var running = await c.Queries.RunningAsync(null, null, ct);
            var failures = await c.Queries.ExecutionsAsync(
                new ExecutionFilter(null, [JobRunResult.Failed], null, c.Clock.GetUtcNow().AddHours(-1), null, 0, 500), ct);
            if (parse.GetValue(json))
            {
                OperatorContext.Print(new { nodes, running, failuresLastHour = failures.Items.Count });
                return;
            }

            TableWriter.Write(["NODE", "STATE", "LAST CHECK-IN", "VERSION", "RUNNING"],
                nodes.Select(n => new[] { n.InstanceId, n.State, TableWriter.Time(n.LastCheckInUtc), n.Version, n.Running.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            Console.WriteLine();
            Console.WriteLine($"Running now: {running.Count}. Failures in the last hour: {failures.Items.Count}{(failures.HasMore ? "+" : "")}.");
        }));
        return command;
    }
}
