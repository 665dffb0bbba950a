namespace Scheduler.Core.Operations;

/// <summary>What an operator action acts on, and so which values name it (see <see cref="ActionArguments.Parse"/>).</summary>
public enum ActionTarget
{
    /// <summary>A job: <c>group</c> and <c>name</c>.</summary>
    Job,

    /// <summary>A trigger: <c>group</c> and <c>name</c>.</summary>
    Trigger,

    /// <summary>A trigger group: <c>group</c>.</summary>
    TriggerGroup,

    /// <summary>Every trigger of the cluster: nothing to name.</summary>
    Cluster,

    /// <summary>A running fire instance: <c>id</c>.</summary>
    FireInstance,

    /// <summary>One occurrence: <c>jobGroup</c>, <c>jobName</c>, <c>triggerGroup</c>, <c>triggerName</c>, <c>scheduledFireTime</c>.</summary>
    Occurrence,

    /// <summary>A job's dead letters scheduled in [<c>from</c>, <c>to</c>): <c>jobGroup</c>, <c>jobName</c>, <c>from</c>, <c>to</c>.</summary>
    DeadLetters,
}
