using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scheduler.Core.Operations;
using Scheduler.Web.Api;
using Scheduler.Web.Auth;

namespace Scheduler.Web.Dashboard;

/// <summary>
/// The dashboard's action forms, one per entry of <see cref="OperatorActionCatalog"/> at its route: the entry's role, antiforgery
/// token checked, run and audited by <see cref="OperatorActions.RunAsync"/>, then back to the page with a notice. A destructive
/// entry (it stops the cluster, cancels work, or runs an occurrence's effects again) is refused, and nothing done, unless the form
/// carries a reason and its ticked confirmation box.
/// </summary>
internal static class DashboardActions
{
    /// <summary>The notice of a destructive action posted without its reason or confirmation.</summary>
    public const string NotConfirmed = "Nothing was done: this action needs a reason and its confirmation box ticked.";

    public static void MapDashboardActions(this IEndpointRouteBuilder endpoints)
    {
        foreach (var action in OperatorActionCatalog.All)
        {
            Map(endpoints, action);
        }
    }

    private static void Map(IEndpointRouteBuilder endpoints, OperatorAction action) =>
        endpoints.MapPost(action.Route, async (HttpContext http, IAntiforgery af, OperatorActions actions, Microsoft.Extensions.Options.IOptions<AuthOptions> auth,
            CancellationToken ct) =>
        {
            await af.ValidateRequestAsync(http);
            var form = await http.Request.ReadFormAsync(ct);
            string notice;
            try
            {
                notice = action.Destructive && (form["confirm"] != "yes" || string.IsNullOrWhiteSpace(form["reason"]))
                    ? NotConfirmed
                    : (await actions.RunAsync(action, ActorOf.Request(http), ActionArguments.Parse(action, name => Value(http, form, name)), ct)).Notice;
            }
            catch (OperatorException e)
            {
                notice = e.Message;
            }

            http.Response.Cookies.Append(DashboardEndpoints.NoticeCookie, notice,
                new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    MaxAge = TimeSpan.FromMinutes(1),
                    Secure = auth.Value.CookieSecure == CookieSecurePolicy.Always || http.Request.IsHttps,
                });
            return Results.Redirect(BackTo(http), permanent: false, preserveMethod: false);
        }).RequireAuthorization(action.Role).WithMetadata(action);

    /// <summary>A route value of the action's path, else the form field of that name.</summary>
    private static string? Value(HttpContext http, IFormCollection form, string name) =>
        http.Request.RouteValues.TryGetValue(name, out var route) && route is not null ? route.ToString()
        : form.TryGetValue(name, out var field) ? field.ToString()
        : null;

    /// <summary>The page the form was on (same site only), so the operator sees the result where they acted.</summary>
    private static string BackTo(HttpContext http) =>
        Uri.TryCreate(http.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
        && string.Equals(referer.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? DashboardSignIn.Local(referer.PathAndQuery)
            : "/";
}
