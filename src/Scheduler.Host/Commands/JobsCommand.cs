using System.CommandLine;
using System.Globalization;
using Scheduler.Core.Operations;

namespace Scheduler.Host.Commands;

/// <summary><c>scheduler jobs [--group G] [--name TEXT] [--state S] [--json]</c>: the jobs, their state, next fire and last run.</summary>
internal static class JobsCommand
{
    public static Command Create()
    {
        var json = OperatorVerb.JsonOption();
        var config = CommonOptions.Config();
        var group = new Option<string?>("--group") { Description = "Only jobs in this group." };
        var name = new Option<string?>("--name") { Description = "Only jobs whose name contains this." };
        var state = new Option<string?>("--state") { Description = "Only jobs with a trigger in this state: normal, paused, error, blocked." };
        var command = new Command("jobs", "List jobs with their state, next fire time and last run.") { group, name, state, json, config };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync("jobs", parse.GetValue(config), async c =>
        {
            var filter = new JobFilter(
                Input.OptionalName("--group", parse.GetValue(group)),
                Input.OptionalName("--name", parse.GetValue(name)),
                Input.State(parse.GetValue(state)),
                0,
                Input.MaxTake);
            var jobs = await c.Queries.JobsAsync(filter, ct);
            if (parse.GetValue(json))
            {
                OperatorContext.Print(jobs);
                return;
            }

            TableWriter.Write(["JOB", "STATE", "NEXT FIRE", "LAST RUN", "RESULT", "RUNS", "FAILURES"],
                jobs.Items.Select(j => new[]
                {
                    $"{j.Group}.{j.Name}", j.State, TableWriter.Time(j.NextFireUtc), TableWriter.Time(j.LastRunUtc), j.LastResult,
                    j.Runs.ToString(CultureInfo.InvariantCulture), j.Failures.ToString(CultureInfo.InvariantCulture),
                }));
        }));
        return command;
    }
}
