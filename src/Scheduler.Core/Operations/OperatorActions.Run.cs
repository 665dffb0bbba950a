namespace Scheduler.Core.Operations;

public sealed partial class OperatorActions
{
    /// <summary>
    /// Runs <paramref name="action"/> (an entry of <see cref="OperatorActionCatalog"/>) with <paramref name="arguments"/> from
    /// <see cref="ActionArguments.Parse"/>: the one entry point a surface needs, audited as the typed methods are.
    /// </summary>
    /// <exception cref="OperatorException">Refused: unknown key, wrong state, or an argument the action needs is missing.</exception>
    public async Task<ActionOutcome> RunAsync(OperatorAction action, Actor actor, ActionArguments arguments, CancellationToken cancellationToken)
    {
        var (a, why, ct) = (arguments, arguments.Reason, cancellationToken);
        switch (action.Kind)
        {
            case OperatorActionKind.Trigger:
                return await Done(TriggerAsync(actor, Need(a.Job), Input.Data(a.Data), why, ct), $"Triggered {a.Job}.");
            case OperatorActionKind.PauseJob: return await Done(PauseJobAsync(actor, Need(a.Job), why, ct), $"Paused {a.Job}.");
            case OperatorActionKind.ResumeJob: return await Done(ResumeJobAsync(actor, Need(a.Job), why, ct), $"Resumed {a.Job}.");
            case OperatorActionKind.PauseTrigger: return await Done(PauseTriggerAsync(actor, Need(a.Trigger), why, ct), $"Paused trigger {a.Trigger}.");
            case OperatorActionKind.ResumeTrigger: return await Done(ResumeTriggerAsync(actor, Need(a.Trigger), why, ct), $"Resumed trigger {a.Trigger}.");
            case OperatorActionKind.ResetTrigger:
                return await Done(ResetTriggerAsync(actor, Need(a.Trigger), why, ct), $"Reset {a.Trigger} from ERROR.");
            case OperatorActionKind.PauseGroup: return await Done(PauseGroupAsync(actor, Need(a.Group), why, ct), $"Paused trigger group {a.Group}.");
            case OperatorActionKind.ResumeGroup: return await Done(ResumeGroupAsync(actor, Need(a.Group), why, ct), $"Resumed trigger group {a.Group}.");
            case OperatorActionKind.PauseAll:
                return await Done(PauseAllAsync(actor, why, ct), "Paused every trigger of the cluster; nothing fires until Resume all.");
            case OperatorActionKind.ResumeAll: return await Done(ResumeAllAsync(actor, why, ct), "Resumed every trigger of the cluster.");
            case OperatorActionKind.Interrupt: return await Done(InterruptAsync(actor, Need(a.FireInstanceId), why, ct), "Interrupt requested.");
            case OperatorActionKind.Replay:
                var replay = await ReplayAsync(actor, Need(a.Occurrence), why, ct);
                return new($"Replay of {a.Occurrence} scheduled.", ReplayTrigger: replay);
            case OperatorActionKind.ReplayDeadLetters:
                var replayed = await ReplayDeadLettersAsync(actor, Need(a.Job), NeedTime(a.From), NeedTime(a.To), why, ct);
                return new($"Replay of {replayed.Count} dead letters of {a.Job} scheduled.", Replayed: replayed);
            default:
                throw new ArgumentOutOfRangeException(nameof(action), action.Kind, "Not an action of the catalogue.");
        }
    }

    private static async Task<ActionOutcome> Done(Task action, string notice)
    {
        await action;
        return new ActionOutcome(notice);
    }

    private static T Need<T>(T? value)
        where T : class =>
        value ?? throw OperatorException.Invalid($"this action needs a {typeof(T).Name}.");

    private static DateTimeOffset NeedTime(DateTimeOffset? value) =>
        value ?? throw OperatorException.Invalid("this action needs 'from' and 'to'.");
}
