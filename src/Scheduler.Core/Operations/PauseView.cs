namespace Scheduler.Core.Operations;

/// <summary>Why a trigger is paused, who asked and when, as Quartz recorded it.</summary>
public sealed record PauseView(string? Reason, string? RequestedBy, DateTimeOffset PausedAtUtc);
