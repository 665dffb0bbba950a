namespace Scheduler.Core.Operations;

/// <summary>Who asks for an operator action, as the audit records it.</summary>
/// <param name="Name">The API key's configured name, or the CLI's OS user.</param>
/// <param name="Role"><c>viewer</c>, <c>operator</c>, or <c>cli</c>.</param>
/// <param name="Source">Where the request came from: the client address, or <c>cli:&lt;host&gt;</c>.</param>
public sealed record Actor(string Name, string Role, string Source);
