namespace Scheduler.Core.Operations;

/// <summary>
/// Every operator action, written once. The API's action endpoints and the CLI's action verbs are built from these entries
/// and <see cref="OperatorActions.RunAsync"/> runs any of them; the audit names each by <see cref="OperatorAction.Name"/>.
/// </summary>
public static class OperatorActionCatalog
{
    /// <summary>The role every action requires (the API's and the dashboard's <c>operator</c> policy).</summary>
    public const string OperatorRole = "operator";

    public static readonly OperatorAction Trigger = new(
        OperatorActionKind.Trigger, "/jobs/{group}/{name}/trigger", ActionTarget.Job, OperatorRole, Destructive: false,
        "Fire a job now, once (a running node picks it up).", CliVerb: "trigger", TakesData: true);

    public static readonly OperatorAction PauseJob = new(
        OperatorActionKind.PauseJob, "/jobs/{group}/{name}/pause", ActionTarget.Job, OperatorRole, Destructive: false,
        "Pause a job's triggers.", CliVerb: "pause");

    public static readonly OperatorAction ResumeJob = new(
        OperatorActionKind.ResumeJob, "/jobs/{group}/{name}/resume", ActionTarget.Job, OperatorRole, Destructive: false,
        "Resume a paused job's triggers.", CliVerb: "resume");

    public static readonly OperatorAction PauseTrigger = new(
        OperatorActionKind.PauseTrigger, "/triggers/{group}/{name}/pause", ActionTarget.Trigger, OperatorRole, Destructive: false, "Pause one trigger.");

    public static readonly OperatorAction ResumeTrigger = new(
        OperatorActionKind.ResumeTrigger, "/triggers/{group}/{name}/resume", ActionTarget.Trigger, OperatorRole, Destructive: false, "Resume one trigger.");

    public static readonly OperatorAction ResetTrigger = new(
        OperatorActionKind.ResetTrigger, "/triggers/{group}/{name}/reset", ActionTarget.Trigger, OperatorRole, Destructive: false,
        "Return a trigger in ERROR to normal.", CliVerb: "reset");

    public static readonly OperatorAction PauseGroup = new(
        OperatorActionKind.PauseGroup, "/trigger-groups/{group}/pause", ActionTarget.TriggerGroup, OperatorRole, Destructive: false,
        "Pause every trigger of a group, and triggers added to it later.");

    public static readonly OperatorAction ResumeGroup = new(
        OperatorActionKind.ResumeGroup, "/trigger-groups/{group}/resume", ActionTarget.TriggerGroup, OperatorRole, Destructive: false,
        "Resume every trigger of a group.");

    public static readonly OperatorAction PauseAll = new(
        OperatorActionKind.PauseAll, "/scheduler/pause", ActionTarget.Cluster, OperatorRole, Destructive: true,
        "Pause every trigger of the cluster, and triggers added until resumed: nothing fires on any node.", CliVerb: "pause");

    public static readonly OperatorAction ResumeAll = new(
        OperatorActionKind.ResumeAll, "/scheduler/resume", ActionTarget.Cluster, OperatorRole, Destructive: false,
        "Resume every trigger of the cluster; misfire instructions apply to the fires missed.", CliVerb: "resume");

    public static readonly OperatorAction Interrupt = new(
        OperatorActionKind.Interrupt, "/fire-instances/{id}/interrupt", ActionTarget.FireInstance, OperatorRole, Destructive: true,
        "Ask the node running a fire instance to cancel it (the job must honour its token).");

    public static readonly OperatorAction Replay = new(
        OperatorActionKind.Replay, "/occurrences/replay", ActionTarget.Occurrence, OperatorRole, Destructive: true,
        "Run a failed or dead occurrence again, as the same occurrence.");

    public static readonly OperatorAction ReplayDeadLetters = new(
        OperatorActionKind.ReplayDeadLetters, "/occurrences/replay/bulk", ActionTarget.DeadLetters, OperatorRole, Destructive: true,
        $"Replay a job's dead letters scheduled in [from, to), at most {OperatorActions.MaxBulkReplay}.");

    /// <summary>Every action, in the order surfaces list them.</summary>
    public static IReadOnlyList<OperatorAction> All { get; } =
    [
        Trigger, PauseJob, ResumeJob, PauseTrigger, ResumeTrigger, ResetTrigger, PauseGroup, ResumeGroup, PauseAll, ResumeAll,
        Interrupt, Replay, ReplayDeadLetters,
    ];

    /// <summary>The entry of <paramref name="kind"/>.</summary>
    public static OperatorAction Of(OperatorActionKind kind) => All.First(a => a.Kind == kind);

    /// <summary>The action named <paramref name="name"/> (as the audit records it), or null.</summary>
    public static OperatorAction? Find(string? name) => All.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
}
