using System.CommandLine;
using Quartz;
using Scheduler.Core.Operations;

namespace Scheduler.Host.Commands;

/// <summary><c>scheduler history [--job J] [--failed] [--since 1h|ISO] [--take N] [--json]</c>: executions, newest first.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var json = OperatorVerb.JsonOption();
        var config = CommonOptions.Config();
        var job = new Option<string?>("--job") { Description = "Only this job: group.name." };
        var failed = new Option<bool>("--failed") { Description = "Only failed executions." };
        var since = new Option<string?>("--since") { Description = "Only executions fired since: 30m, 24h, 7d, or an ISO 8601 time." };
        var take = new Option<int>("--take") { Description = "How many rows (1-500).", DefaultValueFactory = _ => 50 };
        var command = new Command("history", "List executions, newest first.") { job, failed, since, take, json, config };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync("history", parse.GetValue(config), async c =>
        {
            var filter = new ExecutionFilter(
                parse.GetValue(job) is { } j ? OperatorContext.Job(j) : null,
                parse.GetValue(failed) ? [JobRunResult.Failed] : null,
                null,
                Since(parse.GetValue(since), c.Clock),
                null,
                0,
                Input.Paging(0, parse.GetValue(take)).Take);
            var page = await c.Queries.ExecutionsAsync(filter, ct);
            if (parse.GetValue(json))
            {
                OperatorContext.Print(page);
                return;
            }

            TableWriter.Write(["FIRED", "JOB", "RESULT", "DURATION", "NODE", "ERROR"],
                page.Items.Select(e => new[]
                {
                    TableWriter.Time(e.FiredAtUtc), $"{e.JobGroup}.{e.JobName}", e.Result,
                    FormattableString.Invariant($"{e.DurationMs} ms"), e.Node, e.Error,
                }));
        }));
        return command;
    }

    /// <summary>A <c>--since</c> value: a window back from now (30m, 24h, 7d) or an ISO 8601 time.</summary>
    internal static DateTimeOffset? Since(string? text, TimeProvider clock) =>
        string.IsNullOrEmpty(text) ? null
        : char.IsDigit(text[^1]) || text.Contains('T', StringComparison.Ordinal) ? Input.Instant("--since", text)
        : clock.GetUtcNow() - Input.Window("--since", text, TimeSpan.Zero);
}
