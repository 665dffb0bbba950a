namespace Scheduler.Host.Hosting;

/// <summary>How long a starting node waits for its database. Section <c>Scheduler:Database</c>.</summary>
internal sealed class StartupOptions
{
    public const string SectionName = "Scheduler:Database";

    /// <summary>How long to retry an unreachable database at start, with backoff, before giving up (default 60 s).</summary>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
