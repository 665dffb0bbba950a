using System.CommandLine;
using Scheduler.Core.Operations;
using Scheduler.Web.Api;

namespace Scheduler.Host.Commands;

/// <summary>
/// <c>scheduler trigger|pause|resume JOB</c> and <c>scheduler reset TRIGGER</c>: the API's actions from a shell, audited as the
/// OS user (role <c>cli</c>). A refusal (unknown key, not in ERROR) exits 2 with the reason.
/// </summary>
internal static class ActionCommands
{
    public static Command Trigger()
    {
        var (job, reason, config) = (JobArgument(), Reason(), CommonOptions.Config());
        var data = new Option<string[]>("--data") { Description = "Job data for this run, as key=value (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("trigger", "Fire a job now, once (a running node picks it up).") { job, data, reason, config };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync("trigger", parse.GetValue(config), async c =>
        {
            var key = OperatorContext.Job(parse.GetValue(job)!);
            await c.Actions.TriggerAsync(OperatorContext.Actor, key, Input.Data(Pairs(parse.GetValue(data))), Input.Reason(parse.GetValue(reason)), ct);
            Console.WriteLine($"Triggered {key}.");
        }));
        return command;
    }

    public static Command Pause() => JobAction("pause", "Pause a job's triggers, or with --all every trigger of the cluster (recorded with --reason and your user name).",
        (c, key, reason, ct) => c.Actions.PauseJobAsync(OperatorContext.Actor, key, reason, ct),
        (c, reason, ct) => c.Actions.PauseAllAsync(OperatorContext.Actor, reason, ct), "Paused");

    public static Command Resume() => JobAction("resume", "Resume a paused job's triggers, or with --all every trigger of the cluster.",
        (c, key, reason, ct) => c.Actions.ResumeJobAsync(OperatorContext.Actor, key, reason, ct),
        (c, reason, ct) => c.Actions.ResumeAllAsync(OperatorContext.Actor, reason, ct), "Resumed");

    public static Command Reset()
    {
        var (reason, config) = (Reason(), CommonOptions.Config());
        var trigger = new Argument<string>("trigger") { Description = "The trigger in ERROR: group.name or group/name." };
        var command = new Command("reset", "Return a trigger in ERROR to normal.") { trigger, reason, config };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync("reset", parse.GetValue(config), async c =>
        {
            var key = OperatorContext.Trigger(parse.GetValue(trigger)!);
            if (await c.Queries.ErrorCauseAsync(key, ct) is { } cause)
            {
                Console.WriteLine($"{key} is in ERROR because: {cause}");
            }

            await c.Actions.ResetTriggerAsync(OperatorContext.Actor, key, Input.Reason(parse.GetValue(reason)), ct);
            Console.WriteLine($"Reset {key}.");
        }));
        return command;
    }

    private static Command JobAction(
        string verb, string description, Func<OperatorContext, Quartz.JobKey, string?, CancellationToken, Task> act,
        Func<OperatorContext, string?, CancellationToken, Task> actOnAll, string done)
    {
        var (job, reason, config) = (JobArgument(), Reason(), CommonOptions.Config());
        job.Arity = ArgumentArity.ZeroOrOne;
        var all = new Option<bool>("--all") { Description = "Every trigger of the cluster, and triggers added until the opposite --all." };
        var command = new Command(verb, description) { job, all, reason, config };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync(verb, parse.GetValue(config), async c =>
        {
            var text = parse.GetValue(job);
            if (parse.GetValue(all) == text is not null)
            {
                throw OperatorException.Invalid("name a job (group.name) or give --all, not both and not neither.");
            }

            if (text is null)
            {
                await actOnAll(c, Input.Reason(parse.GetValue(reason)), ct);
                Console.WriteLine($"{done} every trigger of the cluster.");
                return;
            }

            var key = OperatorContext.Job(text);
            await act(c, key, Input.Reason(parse.GetValue(reason)), ct);
            Console.WriteLine($"{done} {key}.");
        }));
        return command;
    }

    private static Argument<string> JobArgument() => new("job") { Description = "The job: group.name or group/name (a bare name means group 'config')." };

    private static Option<string?> Reason() => new("--reason") { Description = "Why; kept in the audit (and on the pause)." };

    private static Dictionary<string, string>? Pairs(string[]? pairs)
    {
        if (pairs is null || pairs.Length == 0)
        {
            return null;
        }

        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw OperatorException.Invalid($"--data '{pair}' is not key=value.");
            }

            data[pair[..eq]] = pair[(eq + 1)..];
        }

        return data;
    }
}
