using Microsoft.AspNetCore.Http;

namespace Scheduler.Web.Auth;

/// <summary>The <c>Scheduler:Auth</c> section: API keys by name, and the dashboard's sign-in cookie.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Scheduler:Auth";

    /// <summary>Keys by name; the name is who the audit says acted. Set from the environment: <c>Scheduler__Auth__ApiKeys__ci__Sha256</c>.</summary>
    public Dictionary<string, ApiKeyEntry> ApiKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When the dashboard cookie is marked Secure: <c>Always</c> (behind TLS, recommended in production) or
    /// <c>SameAsRequest</c> (the default, so a plain-HTTP local cluster can sign in).
    /// </summary>
    public CookieSecurePolicy CookieSecure { get; set; } = CookieSecurePolicy.SameAsRequest;

    /// <summary>
    /// How long a dashboard sign-in lasts, from sign-in, whatever use is made of it (absolute; the pages' refresh does
    /// not extend it). Sign-out ends it earlier on every node. Default 8 hours.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
