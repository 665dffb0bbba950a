namespace Scheduler.Core.Fencing;

/// <summary>Occurrence fencing. Section <c>Scheduler:Fencing</c>.</summary>
public sealed class FencingOptions
{
    public const string SectionName = "Scheduler:Fencing";

    /// <summary>Claim every occurrence in the ledger before its job runs (default true). Off only to measure its cost.</summary>
    public bool Enabled { get; set; } = true;
}
