using System.Net;
using System.Net.Http.Headers;
using Npgsql;
using Quartz;
using Scheduler.Core.Retries;

namespace Scheduler.Tests.Retries;

/// <summary>Which failures retry: by exception type, by HTTP status, by SQLSTATE class.</summary>
public sealed class FailureClassifierTests
{
    private static readonly RetryPlan Plan = new(RetryBackoff.Fixed, 3, TimeSpan.FromSeconds(1));

    [Theory]
    [InlineData(500, true)]
    [InlineData(502, true)]
    [InlineData(503, true)]
    [InlineData(408, true)]
    [InlineData(429, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, false)]
    [InlineData(422, false)]
    public void An_http_answer_retries_on_5xx_408_and_429_only(int status, bool retryable)
    {
        var failure = new JobExecutionException("http job failed", new HttpStatusException("answered", (HttpStatusCode)status, null));

        Assert.Equal(retryable, FailureClassifier.Classify(failure, Plan).Retryable);
    }

    [Fact]
    public void A_retry_after_in_seconds_or_as_a_date_is_passed_on()
    {
        var inSeconds = new HttpStatusException("429", HttpStatusCode.TooManyRequests, new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)));
        var at = new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);
        var asDate = new HttpStatusException("503", HttpStatusCode.ServiceUnavailable, new RetryConditionHeaderValue(at));

        Assert.Equal(TimeSpan.FromSeconds(7), FailureClassifier.Classify(inSeconds, Plan).RetryAfter);
        Assert.Equal(at, FailureClassifier.Classify(asDate, Plan).RetryNotBefore);
    }

    [Fact]
    public void A_connection_failure_without_an_answer_retries()
    {
        Assert.True(FailureClassifier.Classify(new JobExecutionException("x", new HttpRequestException("refused")), Plan).Retryable);
    }

    [Theory]
    [InlineData("40001", true)]
    [InlineData("40P01", true)]
    [InlineData("08006", true)]
    [InlineData("57014", true)]
    [InlineData("42601", false)]
    [InlineData("42P01", false)]
    [InlineData("23505", false)]
    [InlineData("22012", false)]
    public void A_postgres_error_retries_by_its_SQLSTATE_class(string sqlState, bool retryable)
    {
        var failure = new JobExecutionException("sql job failed", new PostgresException("planned", "ERROR", "ERROR", sqlState));

        Assert.Equal(retryable, FailureClassifier.Classify(failure, Plan).Retryable);
    }

    [Fact]
    public void NoRetryOn_and_RetryOn_decide_by_exception_type_subtypes_and_inner_exceptions_included()
    {
        var noArgument = Plan with { NoRetryOn = ["ArgumentException"] };
        var onlyTimeouts = Plan with { RetryOn = ["System.TimeoutException"] };

        Assert.False(FailureClassifier.Classify(new ArgumentNullException("x"), noArgument).Retryable);
        Assert.False(FailureClassifier.Classify(new JobExecutionException("x", new ArgumentException("y")), noArgument).Retryable);
        Assert.True(FailureClassifier.Classify(new TimeoutException(), noArgument).Retryable);
        Assert.True(FailureClassifier.Classify(new JobExecutionException("x", new TimeoutException()), onlyTimeouts).Retryable);
        Assert.False(FailureClassifier.Classify(new InvalidOperationException(), onlyTimeouts).Retryable);
        Assert.True(FailureClassifier.Classify(new InvalidOperationException(), Plan).Retryable);
    }
}
