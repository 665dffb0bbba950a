using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Core.Operations;
using Scheduler.Data.Operations;
using Scheduler.Web.Api;
using Scheduler.Web.Dashboard.Pages;

namespace Scheduler.Web.Dashboard;

/// <summary>
/// The dashboard's pages under <c>/</c>, each a Razor component (<c>Pages/</c>) rendered on the server from the operator
/// queries: Razor encodes every value. Every page needs a signed-in viewer; actions are in <see cref="DashboardActions"/>.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>The header the pages' live-update script sends; such a request is an ordinary read and refreshes nothing.</summary>
    public const string PollHeader = "X-Dashboard-Poll";

    /// <summary>The one-shot notice an action leaves for the page it redirects to.</summary>
    internal const string NoticeCookie = "scheduler.notice";

    /// <summary>Static server rendering of the pages' components.</summary>
    public static IServiceCollection AddSchedulerDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents();
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("").AddEndpointFilter<DashboardErrorFilter>();
        pages.MapGet("/", async (HttpContext http, OperatorQueries q, TimeProvider clock, IAntiforgery af, CancellationToken ct) =>
        {
            var page = Context(http, af, clock);
            return Render<OverviewPage>(new { Model = await OverviewModel.LoadAsync(q, page.Now, ct), Page = page });
        });
        pages.MapGet("/jobs", async (HttpContext http, OperatorQueries q, TimeProvider clock, IAntiforgery af,
            string? group, string? name, string? state, int? skip, CancellationToken ct) =>
        {
            var model = await JobsModel.LoadAsync(q, group, name, state, skip, ct);
            return Render<JobsPage>(new { Model = model, Page = Context(http, af, clock) });
        });
        pages.MapGet("/jobs/{group}/{name}", async (HttpContext http, OperatorQueries q, TimeProvider clock, IAntiforgery af,
            string group, string name, CancellationToken ct) =>
        {
            var model = await JobModel.LoadAsync(q, Input.Job(group, name), ct);
            return Render<JobPage>(new { Model = model, Page = Context(http, af, clock) });
        });
        pages.MapGet("/history", async (HttpContext http, OperatorQueries q, TimeProvider clock, IAntiforgery af, string? group, string? job,
            string? outcome, string? node, string? from, string? to, int? skip, CancellationToken ct) =>
        {
            var page = Context(http, af, clock);
            var model = await HistoryModel.LoadAsync(q, page.Now, group, job, outcome, node, from, to, skip, ct);
            return Render<HistoryPage>(new { Model = model, Page = page });
        });
        pages.MapGet("/failures", async (HttpContext http, OperatorQueries q, TimeProvider clock, IAntiforgery af, CancellationToken ct) =>
        {
            var page = Context(http, af, clock);
            return Render<FailuresPage>(new { Model = await FailuresModel.LoadAsync(q, page.Now, ct), Page = page });
        });
        pages.MapGet("/executions/{entryId}", async (HttpContext http, OperatorQueries q, TimeProvider clock, IAntiforgery af,
            string entryId, CancellationToken ct) =>
        {
            var model = await q.ExecutionAsync(Input.Name("entryId", entryId), ct);
            return Render<ExecutionPage>(new { Model = model, Page = Context(http, af, clock) });
        });
        pages.MapGet("/audit", async (HttpContext http, AuditLog audit, TimeProvider clock, IAntiforgery af,
            string? target, string? actor, string? since, int? skip, CancellationToken ct) =>
        {
            var model = await AuditModel.LoadAsync(audit, target, actor, since, skip, ct);
            return Render<AuditPage>(new { Model = model, Page = Context(http, af, clock) });
        });
        pages.MapGet("/denied", (HttpContext http, TimeProvider clock, IAntiforgery af) => Render<MessagePage>(
            new { Title = "Not allowed", Message = "This needs an API key with the operator role.", Page = Context(http, af, clock) },
            StatusCodes.Status403Forbidden));
        endpoints.MapDashboardAssets();
        endpoints.MapDashboardSignIn();
        endpoints.MapDashboardActions();
        return endpoints;
    }

    /// <summary>A page: <typeparamref name="TPage"/> rendered on the server with <paramref name="parameters"/>.</summary>
    internal static RazorComponentResult<TPage> Render<TPage>(object parameters, int status = StatusCodes.Status200OK)
        where TPage : IComponent =>
        new(parameters) { StatusCode = status };

    internal static PageContext Context(HttpContext http, IAntiforgery antiforgery, TimeProvider clock)
    {
        var notice = http.Request.Cookies[NoticeCookie];
        if (notice is not null)
        {
            http.Response.Cookies.Delete(NoticeCookie);
        }

        return new PageContext(http.User.Identity?.Name, ActorOf.Request(http).Role, antiforgery.GetAndStoreTokens(http).RequestToken ?? "", notice,
            clock.GetUtcNow(), http.Request.Path.Value ?? "/");
    }
}
