namespace Scheduler.Web.Auth;

/// <summary>One configured key: <c>Scheduler:Auth:ApiKeys:&lt;name&gt;:Sha256</c> and <c>…:Role</c>.</summary>
public sealed class ApiKeyEntry
{
    /// <summary>Hex SHA-256 of the key (64 hex digits, either case). The key itself is never configured.</summary>
    public string Sha256 { get; set; } = "";

    /// <summary><c>viewer</c> or <c>operator</c>.</summary>
    public string Role { get; set; } = "";
}
