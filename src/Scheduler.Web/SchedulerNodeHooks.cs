using Microsoft.Extensions.Logging;

namespace Scheduler.Web;

/// <summary>
/// The only ways a node built by <see cref="NodeHostingExtensions.AddSchedulerNode"/> may differ from production other than
/// configuration values. Production passes none.
/// </summary>
public sealed class SchedulerNodeHooks
{
    /// <summary>
    /// Runs right after the node's logging is added (Serilog to the console, configured from <c>Serilog</c> and
    /// <c>Scheduler:Logging</c>, both still validated) and before anything else registers: a test host clears the providers
    /// so that many nodes in one process do not write to its console.
    /// </summary>
    public Action<ILoggingBuilder>? Logging { get; init; }
}
