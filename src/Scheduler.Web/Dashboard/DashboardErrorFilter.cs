using Microsoft.AspNetCore.Http;
using Scheduler.Core.Operations;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary>A refused page request (unknown job, bad filter) answers as an HTML page with 404 or 400, not an exception.</summary>
internal sealed class DashboardErrorFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (OperatorException e)
        {
            var status = e.Kind == OperatorErrorKind.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest;
            var page = new PageContext(context.HttpContext.User.Identity?.Name, null, "", null);
            return Results.Content(Layout.Page(status == 404 ? "Not found" : "Invalid request", $"<p>{E(e.Message)}</p>", page, refresh: false),
                "text/html; charset=utf-8", statusCode: status);
        }
    }
}
