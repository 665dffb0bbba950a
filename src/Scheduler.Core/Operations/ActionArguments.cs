using Quartz;

namespace Scheduler.Core.Operations;

/// <summary>
/// The checked arguments of one operator action: what it names (by its <see cref="ActionTarget"/>), why, and job data for a
/// trigger. Built by <see cref="Parse"/> from the values a surface received, under the rules of <see cref="Input"/>.
/// </summary>
public sealed record ActionArguments
{
    public JobKey? Job { get; init; }

    public TriggerKey? Trigger { get; init; }

    /// <summary>The trigger group of a group action.</summary>
    public string? Group { get; init; }

    public string? FireInstanceId { get; init; }

    public OccurrenceRef? Occurrence { get; init; }

    /// <summary>The window of a bulk replay: [<see cref="From"/>, <see cref="To"/>).</summary>
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? Reason { get; init; }

    /// <summary>Job data for one run (<see cref="OperatorAction.TakesData"/>); checked with <see cref="Input.Data"/>.</summary>
    public IReadOnlyDictionary<string, string>? Data { get; init; }

    /// <summary>
    /// Reads <paramref name="action"/>'s arguments from <paramref name="value"/> (a route value or form field by name: <c>group</c>,
    /// <c>name</c>, <c>id</c>, <c>jobGroup</c>, <c>jobName</c>, <c>triggerGroup</c>, <c>triggerName</c>, <c>scheduledFireTime</c>,
    /// <c>from</c>, <c>to</c>, <c>reason</c>). Job data is not a string: set <see cref="Data"/> on the result.
    /// </summary>
    /// <exception cref="OperatorException">A value is missing or breaks a rule; the message names it.</exception>
    public static ActionArguments Parse(OperatorAction action, Func<string, string?> value)
    {
        var arguments = new ActionArguments();
        var named = action.Target switch
        {
            ActionTarget.Job => arguments with { Job = Input.Job(value("group") ?? "", value("name") ?? "") },
            ActionTarget.Trigger => arguments with { Trigger = Input.Trigger(value("group") ?? "", value("name") ?? "") },
            ActionTarget.TriggerGroup => arguments with { Group = Input.Name("group", value("group")) },
            ActionTarget.FireInstance => arguments with { FireInstanceId = Input.Name("id", value("id")) },
            ActionTarget.Occurrence => arguments with
            {
                Occurrence = new OccurrenceRef(
                    Input.Job(value("jobGroup") ?? "", value("jobName") ?? ""),
                    Input.Trigger(value("triggerGroup") ?? "", value("triggerName") ?? ""),
                    Required("scheduledFireTime", value, "as GET /api/occurrences lists it")),
            },
            ActionTarget.DeadLetters => arguments with
            {
                Job = Input.Job(value("jobGroup") ?? "", value("jobName") ?? ""),
                From = Required("from", value, "the dead letters scheduled in [from, to) are replayed"),
                To = Required("to", value, "the dead letters scheduled in [from, to) are replayed"),
            },
            _ => arguments,
        };
        return named with { Reason = Input.Reason(value("reason")) };
    }

    private static DateTimeOffset Required(string parameter, Func<string, string?> value, string hint) =>
        Input.Instant(parameter, value(parameter)) ?? throw OperatorException.Invalid($"'{parameter}' is required ({hint}).");
}
