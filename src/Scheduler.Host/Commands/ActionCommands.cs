using System.CommandLine;
using Scheduler.Core.Operations;
using static Scheduler.Core.Operations.OperatorActionCatalog;

namespace Scheduler.Host.Commands;

/// <summary>
/// <c>scheduler trigger|pause|resume JOB</c> and <c>scheduler reset TRIGGER</c>: the catalogue's actions that have a
/// <see cref="OperatorAction.CliVerb"/>, run from a shell through <see cref="OperatorActions.RunAsync"/> and audited as the OS
/// user (role <c>cli</c>). A refusal (unknown key, not in ERROR) exits 2 with the reason.
/// </summary>
internal static class ActionCommands
{
    /// <summary>One command per verb of the catalogue (<c>pause</c> and <c>resume</c> cover a job's and, with --all, the cluster's).</summary>
    public static IEnumerable<Command> Create() => [Trigger(), Pause(), Resume(), Reset()];

    private static Command Trigger()
    {
        var (job, reason, config) = (JobArgument(), Reason(), CommonOptions.Config());
        var data = new Option<string[]>("--data") { Description = "Job data for this run, as key=value (repeatable).", AllowMultipleArgumentsPerToken = false };
        var action = OperatorActionCatalog.Trigger;
        var command = new Command(action.CliVerb!, action.Summary) { job, data, reason, config };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync(action.CliVerb!, parse.GetValue(config), async c =>
        {
            var arguments = new ActionArguments
            {
                Job = OperatorContext.Job(parse.GetValue(job)!),
                Data = Pairs(parse.GetValue(data)),
                Reason = Input.Reason(parse.GetValue(reason)),
            };
            Console.WriteLine((await c.Actions.RunAsync(action, OperatorContext.Actor, arguments, ct)).Notice);
        }));
        return command;
    }

    private static Command Pause() => JobOrAll(PauseJob, PauseAll);

    private static Command Resume() => JobOrAll(ResumeJob, ResumeAll);

    private static Command Reset()
    {
        var (reason, config) = (Reason(), CommonOptions.Config());
        var trigger = new Argument<string>("trigger") { Description = "The trigger in ERROR: group.name or group/name." };
        var action = ResetTrigger;
        var command = new Command(action.CliVerb!, action.Summary) { trigger, reason, config };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync(action.CliVerb!, parse.GetValue(config), async c =>
        {
            var key = OperatorContext.Trigger(parse.GetValue(trigger)!);
            if (await c.Queries.ErrorCauseAsync(key, ct) is { } cause)
            {
                Console.WriteLine($"{key} is in ERROR because: {cause}");
            }

            var arguments = new ActionArguments { Trigger = key, Reason = Input.Reason(parse.GetValue(reason)) };
            Console.WriteLine((await c.Actions.RunAsync(action, OperatorContext.Actor, arguments, ct)).Notice);
        }));
        return command;
    }

    /// <summary>A verb that acts on one job (<paramref name="onJob"/>) or, with <c>--all</c>, on the cluster (<paramref name="onAll"/>).</summary>
    private static Command JobOrAll(OperatorAction onJob, OperatorAction onAll)
    {
        var (job, reason, config) = (JobArgument(), Reason(), CommonOptions.Config());
        job.Arity = ArgumentArity.ZeroOrOne;
        var all = new Option<bool>("--all") { Description = $"{onAll.Summary}" };
        var verb = onJob.CliVerb!;
        var command = new Command(verb, $"{onJob.Summary} With --all: {onAll.Summary} (Recorded with --reason and your user name.)")
        {
            job, all, reason, config,
        };
        command.SetAction((parse, ct) => OperatorVerb.RunAsync(verb, parse.GetValue(config), async c =>
        {
            var text = parse.GetValue(job);
            if (parse.GetValue(all) == text is not null)
            {
                throw OperatorException.Invalid("name a job (group.name) or give --all, not both and not neither.");
            }

            var arguments = new ActionArguments { Job = text is null ? null : OperatorContext.Job(text), Reason = Input.Reason(parse.GetValue(reason)) };
            Console.WriteLine((await c.Actions.RunAsync(text is null ? onAll : onJob, OperatorContext.Actor, arguments, ct)).Notice);
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
