namespace Scheduler.Data.Operations;

/// <summary>What a node recorded about itself at start (<c>scheduler_node_info</c>).</summary>
public sealed record NodeInfo(string InstanceName, string Version, string Host, int ProcessId, DateTimeOffset StartedAt);
