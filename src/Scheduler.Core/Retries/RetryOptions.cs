namespace Scheduler.Core.Retries;

/// <summary>Service-owned retries. Section <c>Scheduler:Retries</c>.</summary>
public sealed class RetryOptions
{
    public const string SectionName = "Scheduler:Retries";

    /// <summary>How often a node looks for due retries that no trigger will run (a node died before scheduling them); 1 s – 10 min.</summary>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);
}
