using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scheduler.Core.Operations;
using Scheduler.Data.Operations;
using Scheduler.Web.Api;

namespace Scheduler.Web.Dashboard;

/// <summary>The dashboard's pages under <c>/</c>. Every page needs a signed-in viewer; actions are in <see cref="DashboardActions"/>.</summary>
public static class DashboardEndpoints
{
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("").AddEndpointFilter<DashboardErrorFilter>();
        pages.MapGet("/", async (HttpContext http, OperatorQueries q, TimeProvider clock, IAntiforgery af, CancellationToken ct) =>
            Page(await OverviewPage.RenderAsync(q, clock, Context(http, af), ct)));
        pages.MapGet("/jobs", async (HttpContext http, OperatorQueries q, IAntiforgery af, string? group, string? name, string? state, int? skip,
            CancellationToken ct) => Page(await JobsPage.RenderAsync(q, group, name, state, skip, Context(http, af), ct)));
        pages.MapGet("/jobs/{group}/{name}", async (HttpContext http, OperatorQueries q, IAntiforgery af, string group, string name,
            CancellationToken ct) => Page(await JobPage.RenderAsync(q, Input.Job(group, name), Context(http, af), ct)));
        pages.MapGet("/failures", async (HttpContext http, OperatorQueries q, TimeProvider clock, IAntiforgery af, CancellationToken ct) =>
            Page(await FailuresPage.RenderAsync(q, clock, Context(http, af), ct)));
        pages.MapGet("/executions/{entryId}", async (HttpContext http, OperatorQueries q, IAntiforgery af, string entryId, CancellationToken ct) =>
            Page(await ExecutionPage.RenderAsync(q, Input.Name("entryId", entryId), Context(http, af), ct)));
        pages.MapGet("/audit", async (HttpContext http, AuditLog audit, IAntiforgery af, string? target, string? actor, int? skip, CancellationToken ct) =>
            Page(await AuditPage.RenderAsync(audit, Input.OptionalName("target", target), Input.OptionalName("actor", actor),
                Input.Paging(skip, AuditPage.PageSize).Skip, Context(http, af), ct)));
        pages.MapGet("/denied", (HttpContext http, IAntiforgery af) => Results.Content(
            Layout.Page("Not allowed", "<p>This needs an API key with the operator role.</p>", Context(http, af), refresh: false),
            "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden));
        endpoints.MapDashboardSignIn();
        endpoints.MapDashboardActions();
        return endpoints;
    }

    internal static IResult Page(string html) => Results.Content(html, "text/html; charset=utf-8");

    internal static PageContext Context(HttpContext http, IAntiforgery antiforgery)
    {
        var notice = http.Request.Cookies[NoticeCookie];
        if (notice is not null)
        {
            http.Response.Cookies.Delete(NoticeCookie);
        }

        return new PageContext(http.User.Identity?.Name, ActorOf.Request(http).Role, antiforgery.GetAndStoreTokens(http).RequestToken ?? "", notice);
    }

    /// <summary>The one-shot notice an action leaves for the page it redirects to.</summary>
    internal const string NoticeCookie = "scheduler.notice";
}
