using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scheduler.Web.Auth;

namespace Scheduler.Web.Hardening;

/// <summary>
/// What stands between the network and the endpoints: the proxy's forwarded headers (only from configured proxies),
/// HSTS over https, the security headers, a concurrency limit on the whole surface but health, and a per-client limit
/// on sign-in attempts.
/// </summary>
public static class HardeningExtensions
{
    /// <summary>The rate-limiting policy of <c>POST /login</c>.</summary>
    public const string SignInPolicy = "sign-in";

    public static IServiceCollection AddSchedulerHardening(this IServiceCollection services)
    {
        services.AddOptions<WebOptions>().BindConfiguration(WebOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<WebOptions>, WebOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebOptions>>((forwarded, web) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core believes loopback by default; we believe only the proxies named in configuration.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // The obsolete list is still consulted and holds loopback by default.
            forwarded.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in web.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in web.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<WebOptions>>((limits, web) =>
        {
            var options = web.Value;
            limits.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetConcurrencyLimiter("surface", _ => new ConcurrencyLimiterOptions
                    {
                        PermitLimit = options.MaxConcurrentRequests,
                        QueueLimit = options.RequestQueueLimit,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                    }));
            limits.AddPolicy(SignInPolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1) }));
            limits.OnRejected = Rejected;
        });
        return services;
    }

    /// <summary>Call first: everything after it sees the client's real address and scheme.</summary>
    public static WebApplication UseSchedulerHardening(this WebApplication app)
    {
        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value;
        // With no known proxy the middleware would believe every client's X-Forwarded-* headers: leave it out entirely.
        if (web.KnownProxies.Count > 0 || web.KnownNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (web.Hsts)
        {
            app.UseHsts();
        }

        app.Use(SecurityHeaders.Add);
        return app;
    }

    /// <summary>Too many sign-in attempts: 429 (and counted in the audit); the surface at capacity: 503. Both say when to retry.</summary>
    private static ValueTask Rejected(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var signIn = http.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == SignInPolicy;
        http.Response.StatusCode = signIn ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after)
            ? ((int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : "1";
        if (signIn)
        {
            http.RequestServices.GetRequiredService<RefusalAudit>().Record("sign-in", "unknown", "none", "dashboard",
                http.Connection.RemoteIpAddress?.ToString() ?? "unknown", "refused: too many sign-in attempts");
        }

        return ValueTask.CompletedTask;
    }
}
