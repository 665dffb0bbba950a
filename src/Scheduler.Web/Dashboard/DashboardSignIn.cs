using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Data.Operations;
using Scheduler.Web.Auth;
using Scheduler.Web.Dashboard.Pages;
using Scheduler.Web.Hardening;

namespace Scheduler.Web.Dashboard;

/// <summary>
/// Sign-in with an API key and sign-out, both CSRF-protected. A sign-in starts a server-side session with an absolute
/// end (<c>Scheduler:Auth:SessionLifetime</c>); sign-out ends it on every node, so a copied cookie stops working too.
/// Sign-in attempts are rate limited per client; refusals are audited, aggregated.
/// </summary>
internal static class DashboardSignIn
{
    public static void MapDashboardSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", (HttpContext http, IAntiforgery af, TimeProvider clock, string? returnUrl) =>
            LoginResult(http, af, clock, Local(returnUrl), null, StatusCodes.Status200OK)).AllowAnonymous();
        endpoints.MapPost("/login", async (HttpContext http, IAntiforgery af, TimeProvider clock, ApiKeyStore keys, RefusalAudit refusals, AuditLog audit,
            SessionStore sessions, IOptions<AuthOptions> auth, ISchedulerFactory schedulers, CancellationToken ct) =>
        {
            await af.ValidateRequestAsync(http);
            var form = await http.Request.ReadFormAsync(ct);
            var returnUrl = Local(form["returnUrl"].ToString());
            var identity = keys.Match(form["key"].ToString());
            var source = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (identity is null)
            {
                refusals.Record("sign-in", "unknown", "none", "dashboard", source, "refused: the key matches no configured key");
                return LoginResult(http, af, clock, returnUrl, "That key is not valid.", StatusCodes.Status401Unauthorized);
            }

            try
            {
                var node = (await schedulers.GetScheduler(ct)).SchedulerInstanceId;
                var session = await sessions.StartAsync(identity.Name, identity.Role, source, node, auth.Value.SessionLifetime, ct);
                await audit.AppendAsync(new AuditEntry(identity.Name, identity.Role, "sign-in", "dashboard", null, null, source, node, "ok"), ct);
                var principal = ApiKeyAuthenticationHandler.Principal(identity, CookieAuthenticationDefaults.AuthenticationScheme);
                ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim(AuthHostingExtensions.SessionClaim, session.ToString()));
                await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
            }
            catch (System.Data.Common.DbException)
            {
                return LoginResult(http, af, clock, returnUrl,
                    "The scheduler's database cannot be reached, so a sign-in cannot be recorded. Try again in a moment.",
                    StatusCodes.Status503ServiceUnavailable);
            }

            return Results.Redirect(returnUrl);
        }).AllowAnonymous().RequireRateLimiting(HardeningExtensions.SignInPolicy);
        endpoints.MapPost("/logout", async (HttpContext http, IAntiforgery af, SessionStore sessions, CancellationToken ct) =>
        {
            await af.ValidateRequestAsync(http);
            if (Guid.TryParse(http.User.FindFirstValue(AuthHostingExtensions.SessionClaim), out var session))
            {
                await sessions.EndAsync(session, "signed out", ct);
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });
    }

    /// <summary>
    /// Only a path on this site, by ASP.NET Core's own check (which also refuses control characters such as the tab in
    /// <c>/%09/evil.example</c>), and only printable ASCII so the Location header can always be written.
    /// </summary>
    internal static string Local(string? url) =>
        !string.IsNullOrEmpty(url) && RedirectHttpResult.IsLocalUrl(url) && url.All(c => c is > ' ' and < (char)0x7F) ? url : "/";

    private static RazorComponentResult<LoginPage> LoginResult(HttpContext http, IAntiforgery af, TimeProvider clock, string returnUrl, string? error, int status) =>
        DashboardEndpoints.Render<LoginPage>(new
        {
            Page = new PageContext(null, null, af.GetAndStoreTokens(http).RequestToken ?? "", null, clock.GetUtcNow(), "/login"),
            ReturnUrl = returnUrl,
            Error = error,
        }, status);
}
