using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Scheduler.Core.Operations;
using Scheduler.Web.Dashboard.Pages;

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
            var http = context.HttpContext;
            var notFound = e.Kind == OperatorErrorKind.NotFound;
            // The page's own context, so its Sign out form carries a valid token.
            var page = DashboardEndpoints.Context(http, http.RequestServices.GetRequiredService<IAntiforgery>(),
                http.RequestServices.GetRequiredService<TimeProvider>());
            return DashboardEndpoints.Render<MessagePage>(
                new { Title = notFound ? "Not found" : "Invalid request", Message = e.Message, Page = page },
                notFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }
    }
}
