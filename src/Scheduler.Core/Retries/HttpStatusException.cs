using System.Net;
using System.Net.Http.Headers;

namespace Scheduler.Core.Retries;

/// <summary>
/// An HTTP call answered with a status the job did not expect. Carries the status and the answer's <c>Retry-After</c>,
/// so the retry decision can tell a 503 (retry, after that wait) from a 404 (do not).
/// </summary>
public sealed class HttpStatusException : HttpRequestException
{
    public HttpStatusException(string message, HttpStatusCode status, RetryConditionHeaderValue? retryAfter)
        : base(message, null, status) => RetryAfter = retryAfter;

    public HttpStatusException(string message)
        : base(message)
    {
    }

    public HttpStatusException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public HttpStatusException()
    {
    }

    /// <summary>The answer's <c>Retry-After</c> (a wait in seconds, or a date), when it had one.</summary>
    public RetryConditionHeaderValue? RetryAfter { get; }
}
