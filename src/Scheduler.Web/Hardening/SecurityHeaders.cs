using Microsoft.AspNetCore.Http;

namespace Scheduler.Web.Hardening;

/// <summary>
/// The headers every response of the node carries, set when the response starts so that error pages (a 500 re-executed
/// by the exception handler, a 429 or 503 from the limiter) carry them too. Scripts and styles come only from this origin
/// (the dashboard's <c>/assets/</c>): no inline script or style can run, even if markup were ever injected.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static Task Add(HttpContext context, Func<Task> next)
    {
        context.Response.OnStarting(static state =>
        {
            Apply(((HttpContext)state).Response.Headers);
            return Task.CompletedTask;
        }, context);
        return next();
    }

    /// <summary>
    /// Sets the headers on <paramref name="headers"/>. Also called as an error answer is written: the exception handler
    /// clears the response's headers before it writes its problem details.
    /// </summary>
    public static void Apply(IHeaderDictionary headers)
    {
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        // Pages and API answers hold job data, errors and audit rows: no shared or browser cache keeps them.
        headers.CacheControl = "no-store";
    }
}
