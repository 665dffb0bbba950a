namespace Scheduler.Core.Fencing;

/// <summary>The answer to a claim: ours (with the token that must accompany completion), or a duplicate and why.</summary>
public sealed record ClaimResult(bool Claimed, Guid Token, string? DuplicateReason);
