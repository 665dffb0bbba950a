using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Scheduler.Core.Logging;
using Scheduler.Core.Operations;
using Scheduler.Web.Api;
using Scheduler.Web.Auth;
using Scheduler.Web.Dashboard;
using Scheduler.Web.Hardening;
using Scheduler.Web.Health;
using Scheduler.Web.Metrics;

namespace Scheduler.Web;

/// <summary>
/// The node's HTTP surface: <c>/health/*</c> (anonymous), <c>/metrics</c> (viewer), the JSON API under <c>/api/</c> (API keys,
/// problem details) and the dashboard under <c>/</c> (sign-in cookie, CSRF-protected actions).
/// </summary>
public static class WebHostingExtensions
{
    public static IHostApplicationBuilder AddSchedulerWeb(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSchedulerOperations();
        builder.Services.AddSchedulerNodeInfo();
        builder.Services.AddSchedulerAuth(builder.Configuration);
        builder.Services.AddSchedulerHardening();
        builder.Services.AddSchedulerDashboard();
        // A body that is not JSON, or a parameter of the wrong type, answers 400 with the reason rather than a bare status.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<ExceptionHandlerOptions>(o =>
        {
            o.StatusCodeSelector = e => e switch
            {
                BadHttpRequestException bad => bad.StatusCode,
                Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => StatusCodes.Status400BadRequest,
                // The database is away (or out of connections): the node cannot answer now, which is not a bug of the request.
                DbException => StatusCodes.Status503ServiceUnavailable,
                _ => StatusCodes.Status500InternalServerError,
            };
            // A client's bad request is not the node's error: no Error log with a stack trace for it.
            o.SuppressDiagnosticsCallback = c =>
                c.Exception is BadHttpRequestException or Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException;
        });
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            SecurityHeaders.Apply(c.HttpContext.Response.Headers);
            c.ProblemDetails.Detail = c.Exception switch
            {
                BadHttpRequestException bad => bad.Message,
                Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => "The form's antiforgery token is missing or stale: reload the page and try again.",
                DbException => "The scheduler's database cannot be reached right now; try again in a moment.",
                _ => c.ProblemDetails.Detail,
            };
        });
        builder.Services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "scheduler.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>()
            .Configure<Microsoft.Extensions.Options.IOptions<AuthOptions>>((o, auth) => o.Cookie.SecurePolicy = auth.Value.CookieSecure);
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return builder;
    }

    public static WebApplication MapSchedulerWeb(this WebApplication app)
    {
        // Outermost: the request log sees the final status, refusals and rate-limited requests included.
        app.UseSchedulerRequestLogging();
        app.UseSchedulerHardening();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before authentication, which reads the database (sessions): a flood waits or is refused before it costs a connection.
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapSchedulerHealth();
        app.MapMetricsEndpoint();
        var api = app.MapGroup("/api").AddEndpointFilter<OperatorProblemFilter>();
        api.MapReadEndpoints().MapActionEndpoints();
        app.MapDashboard();
        return app;
    }
}
