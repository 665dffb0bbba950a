using System.Data.Common;
using System.Net;

namespace Scheduler.Core.Retries;

/// <summary>
/// Decides whether a failure is worth another attempt. A plan's <c>NoRetryOn</c> and <c>RetryOn</c> (exception type names,
/// full or short, matching subtypes and inner exceptions) decide first. Then the kind's own rules: an HTTP answer retries on
/// 5xx, 408 and 429 (honouring <c>Retry-After</c>) but not on other 4xx; a PostgreSQL error retries for SQLSTATE classes 40
/// (serialization failure, deadlock) and 08 (connection) and others outside syntax (42), data (22) and constraint (23)
/// classes. Everything else retries.
/// </summary>
public static class FailureClassifier
{
    public static FailureVerdict Classify(Exception failure, RetryPlan plan)
    {
        var chain = Chain(failure).ToList();
        if (plan.NoRetryOn is { Count: > 0 } never && chain.FirstOrDefault(e => Matches(e, never)) is { } excluded)
        {
            return new(false, $"{excluded.GetType().Name} is listed in NoRetryOn");
        }

        if (plan.RetryOn is { Count: > 0 } only && !chain.Any(e => Matches(e, only)))
        {
            return new(false, $"{failure.GetType().Name} is not listed in RetryOn");
        }

        if (chain.OfType<HttpStatusException>().FirstOrDefault() is { StatusCode: { } status } http)
        {
            var code = (int)status;
            return code >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                ? new(true, $"HTTP {code}", http.RetryAfter?.Delta, http.RetryAfter?.Date)
                : new(false, $"HTTP {code} is not retryable");
        }

        // A server error (Npgsql's PostgresException) carries its SQLSTATE; a failure to connect carries none.
        if (chain.OfType<DbException>().Select(e => e.SqlState).FirstOrDefault(s => s is { Length: > 0 }) is { } sqlState)
        {
            var sqlClass = sqlState.Length >= 2 ? sqlState[..2] : sqlState;
            return sqlClass is "42" or "22" or "23"
                ? new(false, $"SQLSTATE {sqlState} is not retryable")
                : new(true, $"SQLSTATE {sqlState}");
        }

        return new(true, failure.GetType().Name);
    }

    private static IEnumerable<Exception> Chain(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }

    private static bool Matches(Exception e, IReadOnlyList<string> names)
    {
        for (var type = e.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            if (names.Any(n => n == type.FullName || n == type.Name))
            {
                return true;
            }
        }

        return false;
    }
}
