namespace Scheduler.Web.Auth;

/// <summary>A key that matched: its configured name, role, and a short fingerprint of its hash (to notice a rotated key).</summary>
public sealed record ApiKeyIdentity(string Name, string Role, string Fingerprint);
