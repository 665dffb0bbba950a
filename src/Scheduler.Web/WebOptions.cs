namespace Scheduler.Web;

/// <summary>The <c>Scheduler:Web</c> section: how much the HTTP surface may take on, and the proxy in front of it.</summary>
public sealed class WebOptions
{
    public const string SectionName = "Scheduler:Web";

    /// <summary>
    /// API and dashboard requests served at once (health probes are not counted). Each may hold a database connection,
    /// so the node's pool is sized as Quartz's threads plus this plus a few for the scheduler itself, and API load can
    /// never take the connections firing needs. Default 8.
    /// </summary>
    public int MaxConcurrentRequests { get; set; } = 8;

    /// <summary>Requests waiting for one of those slots; past this a request is answered 503 with Retry-After. Default 32.</summary>
    public int RequestQueueLimit { get; set; } = 32;

    /// <summary>Sign-in attempts per client address per minute; more are answered 429. Default 10.</summary>
    public int SignInAttemptsPerMinute { get; set; } = 10;

    /// <summary>
    /// Refused sign-ins and refused or unauthenticated API requests from one client are written to the audit once per
    /// window: the first at once, the rest as one row counting them. Default one minute.
    /// </summary>
    public TimeSpan RefusalAuditWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Addresses of the reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed (client
    /// address for the audit and rate limits, https for cookies and HSTS). Empty (the default): no proxy is believed.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) of such proxies.</summary>
    public List<string> KnownNetworks { get; set; } = [];

    /// <summary>Send <c>Strict-Transport-Security</c> on https responses (default true; one year).</summary>
    public bool Hsts { get; set; } = true;
}
