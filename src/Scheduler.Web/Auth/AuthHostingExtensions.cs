using System.Security.Claims;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Scheduler.Data.Protection;

namespace Scheduler.Web.Auth;

/// <summary>
/// API keys for <c>/api/</c> (Bearer), a sign-in cookie for the dashboard, and the two role policies. Everything but
/// <c>/health/*</c> and the sign-in page requires a signed-in viewer or operator.
/// </summary>
public static class AuthHostingExtensions
{
    /// <summary>The scheme that picks Bearer (API, <c>/metrics</c>, or any request with an Authorization header) or the cookie (dashboard).</summary>
    public const string SelectorScheme = "Scheduler";

    public const string CookieName = "scheduler.auth";

    /// <summary>The claim carrying the dashboard session's id (a row of <c>scheduler_sessions</c>).</summary>
    public const string SessionClaim = "scheduler:session";

    /// <summary>A PFX file whose certificate encrypts the data-protection key ring at rest (optional).</summary>
    public const string KeyRingCertificateKey = "Scheduler:Auth:KeyRingCertificate";

    /// <summary>The PFX file's password (from the environment or a secret file, never a committed file).</summary>
    public const string KeyRingCertificatePasswordKey = "Scheduler:Auth:KeyRingCertificatePassword";

    public static IServiceCollection AddSchedulerAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<RefusalAudit>();
        services.AddHostedService(sp => sp.GetRequiredService<RefusalAudit>());
        // One key ring for the cluster, in the database: a cookie or form token from any node is valid on every node.
        var protection = services.AddDataProtection().SetApplicationName("scheduler");
        if (configuration[KeyRingCertificateKey] is { Length: > 0 } path)
        {
            // Encrypted at rest: whoever reads the table without the certificate cannot forge a session cookie.
            var certificate = LoadCertificate(path, configuration[KeyRingCertificatePasswordKey]);
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        services.TryAddSingleton<PostgresXmlRepository>();
        services.AddOptions<KeyManagementOptions>().Configure<PostgresXmlRepository>((o, keys) => o.XmlRepository = keys);
        services.AddHostedService<NoKeysWarning>();
        services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "API key or dashboard cookie", o => o.ForwardDefaultSelector = context =>
                context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/metrics")
                || context.Request.Headers.Authorization.Count > 0
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieAuthenticationDefaults.AuthenticationScheme);
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((cookie, auth) =>
            {
                cookie.Cookie.Name = CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = auth.Value.CookieSecure;
                // An absolute lifetime: neither use nor the pages' own refresh extends a session.
                cookie.ExpireTimeSpan = auth.Value.SessionLifetime;
                cookie.SlidingExpiration = false;
                cookie.LoginPath = "/login";
                cookie.AccessDeniedPath = "/denied";
                cookie.Events.OnValidatePrincipal = RejectEndedSessions;
                // Relative redirects: never an absolute URL built from the request's Host header.
                cookie.Events.OnRedirectToLogin = c => Relative(c, "/login?returnUrl=" + Uri.EscapeDataString(c.Request.PathBase + c.Request.Path + c.Request.QueryString));
                cookie.Events.OnRedirectToAccessDenied = c => Relative(c, "/denied");
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(SchedulerRoles.Viewer, p => p.RequireRole(SchedulerRoles.Viewer, SchedulerRoles.Operator))
            .AddPolicy(SchedulerRoles.Operator, p => p.RequireRole(SchedulerRoles.Operator))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(SchedulerRoles.Viewer, SchedulerRoles.Operator).Build());
        return services;
    }

    /// <summary>
    /// A dashboard session ends when its key is removed, re-roled or rotated in configuration, when it is signed out (on
    /// any node), or when its absolute lifetime is over.
    /// </summary>
    private static async Task RejectEndedSessions(CookieValidatePrincipalContext context)
    {
        var keys = context.HttpContext.RequestServices.GetRequiredService<ApiKeyStore>();
        var sessions = context.HttpContext.RequestServices.GetRequiredService<Data.Operations.SessionStore>();
        var user = context.Principal;
        if (user?.Identity?.Name is not { } name
            || user.FindFirstValue(ClaimTypes.Role) is not { } role
            || user.FindFirstValue(ApiKeyAuthenticationHandler.FingerprintClaim) is not { } fingerprint
            || !keys.IsCurrent(name, role, fingerprint)
            || !Guid.TryParse(user.FindFirstValue(SessionClaim), out var session)
            || !await sessions.IsLiveAsync(session, name, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        try
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
            return certificate.HasPrivateKey
                ? certificate
                : throw new InvalidOperationException($"{KeyRingCertificateKey}: '{path}' holds no private key; export the certificate with its key (PFX).");
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException(
                $"{KeyRingCertificateKey}: cannot load '{path}' ({e.Message}); give a readable PFX file and its password in {KeyRingCertificatePasswordKey}.", e);
        }
    }

    private static Task Relative(RedirectContext<CookieAuthenticationOptions> context, string location)
    {
        context.Response.StatusCode = StatusCodes.Status302Found;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    }
}
