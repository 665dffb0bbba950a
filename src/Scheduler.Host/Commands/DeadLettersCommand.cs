using System.CommandLine;
using System.Globalization;
using Scheduler.Core.Operations;

namespace Scheduler.Host.Commands;

/// <summary>
/// <c>scheduler dead-letters [--job J] [--since 24h|ISO] [--take N] [--json]</c>: occurrences whose attempts are spent or whose
/// failure was not retryable, newest scheduled first, with attempts and last error (<c>--json</c> adds the last attempt's log),
/// as <c>GET /api/occurrences?state=dead</c> lists them.
/// </summary>
internal static class DeadLettersCommand
{
    public static Command Create()
    {
        var json = OperatorVerb.JsonOption();
        var config = CommonOptions.Config();
        var job = new Option<string?>("--job") { Description = "Only this job: group.name." };
        var since = new Option<string?>("--since") { Description = "Only occurrences scheduled since: 30m, 24h, 7d, or an ISO 8601 time." };
        var take = new Option<int>("--take") { Description = "How many rows (1-500).", DefaultValueFactory = _ => 50 };
        var command = new Command("dead-letters", "List dead letters: occurrences that failed for good, newest first.") { job, since, take, json, config };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync("dead-letters", parse.GetValue(config), async c =>
        {
            var dead = await c.Queries.OccurrencesAsync("dead", parse.GetValue(job) is { } j ? OperatorContext.Job(j) : null, 0,
                Input.Paging(0, parse.GetValue(take)).Take, ct, HistoryCommand.Since(parse.GetValue(since), c.Clock));
            if (parse.GetValue(json))
            {
                OperatorContext.Print(dead);
                return;
            }

            TableWriter.Write(["SCHEDULED", "JOB", "TRIGGER", "ATTEMPTS", "DIED", "LAST ERROR"],
                dead.Select(o => new[]
                {
                    TableWriter.Time(o.ScheduledFireTime), $"{o.JobGroup}.{o.JobName}", $"{o.TriggerGroup}.{o.TriggerName}",
                    o.Attempts.ToString(CultureInfo.InvariantCulture), TableWriter.Time(o.CompletedAt), o.LastError,
                }));
        }));
        return command;
    }
}
