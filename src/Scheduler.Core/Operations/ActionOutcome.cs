using Quartz;

namespace Scheduler.Core.Operations;

/// <summary>
/// What an action run by <see cref="OperatorActions.RunAsync"/> did: a one-line <see cref="Notice"/> for people (the dashboard's
/// notice, the CLI's output), and for a replay the trigger scheduled or the occurrences replayed.
/// </summary>
public sealed record ActionOutcome(string Notice, TriggerKey? ReplayTrigger = null, IReadOnlyList<OccurrenceRef>? Replayed = null);
