using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Quartz;
using Scheduler.Data.Operations;
using Scheduler.Web.Auth;

namespace Scheduler.Web.Dashboard;

/// <summary>Sign-in with an API key (audited, success or not) and sign-out, both CSRF-protected.</summary>
internal static class DashboardSignIn
{
    public static void MapDashboardSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", (HttpContext http, IAntiforgery af, string? returnUrl) =>
            DashboardEndpoints.Page(LoginPage.Render(af.GetAndStoreTokens(http).RequestToken ?? "", returnUrl, null))).AllowAnonymous();
        endpoints.MapPost("/login", async (HttpContext http, IAntiforgery af, ApiKeyStore keys, AuditLog audit, ISchedulerFactory schedulers,
            CancellationToken ct) =>
        {
            await af.ValidateRequestAsync(http);
            var form = await http.Request.ReadFormAsync(ct);
            var returnUrl = Local(form["returnUrl"].ToString());
            var identity = keys.Match(form["key"].ToString());
            var node = (await schedulers.GetScheduler(ct)).SchedulerInstanceId;
            var source = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            await audit.AppendAsync(new AuditEntry(identity?.Name ?? "unknown", identity?.Role ?? "none", "sign-in", "dashboard", null, null,
                source, node, identity is null ? "refused: the key matches no configured key" : "ok"), ct);
            if (identity is null)
            {
                return Results.Content(LoginPage.Render(af.GetAndStoreTokens(http).RequestToken ?? "", returnUrl, "That key is not valid."),
                    "text/html; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }

            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
                ApiKeyAuthenticationHandler.Principal(identity, CookieAuthenticationDefaults.AuthenticationScheme));
            return Results.Redirect(returnUrl);
        }).AllowAnonymous();
        endpoints.MapPost("/logout", async (HttpContext http, IAntiforgery af) =>
        {
            await af.ValidateRequestAsync(http);
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/login");
        });
    }

    /// <summary>Only a path on this site: an open redirect would let a link send a signed-in operator anywhere.</summary>
    internal static string Local(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
