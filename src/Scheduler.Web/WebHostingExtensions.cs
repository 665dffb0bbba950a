using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scheduler.Core.Health;
using Scheduler.Core.Operations;
using Scheduler.Web.Api;
using Scheduler.Web.Auth;
using Scheduler.Web.Dashboard;

namespace Scheduler.Web;

/// <summary>
/// The node's HTTP surface: <c>/health/*</c> (anonymous), the JSON API under <c>/api/</c> (API keys, problem details) and
/// the dashboard under <c>/</c> (sign-in cookie, CSRF-protected actions).
/// </summary>
public static class WebHostingExtensions
{
    public static IHostApplicationBuilder AddSchedulerWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSchedulerOperations();
        builder.Services.AddSchedulerNodeInfo();
        builder.Services.AddSchedulerAuth();
        // A body that is not JSON, or a parameter of the wrong type, answers 400 with the reason rather than a bare status.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<ExceptionHandlerOptions>(o =>
            o.StatusCodeSelector = e => e switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status500InternalServerError,
            });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Detail = c.Exception switch
            {
                BadHttpRequestException bad => bad.Message,
                Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => "The form's antiforgery token is missing or stale: reload the page and try again.",
                _ => c.ProblemDetails.Detail,
            };
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "scheduler.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication MapSchedulerWeb(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(SecurityHeaders);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSchedulerHealth();
        var api = app.MapGroup("/api").AddEndpointFilter<OperatorProblemFilter>();
        api.MapReadEndpoints().MapActionEndpoints();
        app.MapDashboard();
        return app;
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; frame-ancestors 'none'";
        return next();
    }
}
