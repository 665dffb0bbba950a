using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Quartz;
using Scheduler.Core.Fencing;
using Scheduler.Core.Retries;
using Scheduler.Jobs.Common;

namespace Scheduler.Jobs.Http;

/// <summary>
/// The built-in <c>http</c> kind: calls a configured URL and fails — for the retry policy to handle — on an unexpected
/// status or a timeout. Sends <c>Idempotency-Key</c> (the same for every run of the occurrence) so the receiver can
/// de-duplicate. <c>${NAME}</c> placeholders expand from the environment at run time; headers, query strings and
/// expanded values are never logged.
/// </summary>
public sealed partial class HttpJob(IHttpClientFactory httpClients, ILogger<HttpJob> logger) : IJob
{
    /// <summary>The named client; configure it (proxy, certificates) with <c>services.AddHttpClient(ClientName)</c>.</summary>
    public const string ClientName = "scheduler-http-job";

    private const int ResultExcerpt = 256;
    private const int ErrorExcerpt = 512;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // The job's own data only: what it runs is fixed by configuration, never by data a trigger carries.
        var raw = JobDataReader.Strings(context.JobDetail.JobDataMap);
        if (HttpJobData.Validate(raw) is { Count: > 0 } problems)
        {
            throw new JobExecutionException($"http job {context.JobDetail.Key}: {string.Join("; ", problems)}");
        }

        var data = HttpJobData.From(raw);
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        using var request = new HttpRequestMessage(data.Method, EnvironmentTemplate.Expand(data.Url, secrets));
        foreach (var (name, value) in data.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, EnvironmentTemplate.Expand(value, secrets));
        }

        if (!request.Headers.Contains("Idempotency-Key"))
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", (FencedOccurrence.Current?.Key ?? OccurrenceKey.For(context)).IdempotencyKey);
        }

        if (data.Body is not null)
        {
            request.Content = new StringContent(EnvironmentTemplate.Expand(data.Body, secrets), Encoding.UTF8, data.ContentType);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(data.Timeout);
        var target = HttpJobData.Redact(data.Url);
        var stopwatch = Stopwatch.StartNew();
        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(ClientName).SendAsync(request, timeout.Token);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new JobExecutionException($"http job {context.JobDetail.Key}: {data.Method} {target} timed out after {data.Timeout}", e);
        }
        catch (HttpRequestException e)
        {
            throw new JobExecutionException(
                $"http job {context.JobDetail.Key}: {data.Method} {target} failed: {EnvironmentTemplate.Redact(e.Message, secrets)}", e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            // A receiver may echo the request: what it sends back is stored only with the expanded secrets taken out.
            var body = EnvironmentTemplate.Redact(await response.Content.ReadAsStringAsync(cancellationToken), secrets);
            LogCalled(logger, data.Method.Method, target, status, stopwatch.ElapsedMilliseconds);
            if (!data.ExpectedStatus.Any(r => status >= r.From && status <= r.To))
            {
                var message = EnvironmentTemplate.Redact(
                    $"http job {context.JobDetail.Key}: {data.Method} {target} answered {status} {response.ReasonPhrase}: {Excerpt(body, ErrorExcerpt)}", secrets);
                throw new JobExecutionException(message, new HttpStatusException(message, response.StatusCode, response.Headers.RetryAfter));
            }

            context.Result = JobRunReport.Succeeded(EnvironmentTemplate.Redact(
                string.Create(CultureInfo.InvariantCulture, $"http: {status} {response.ReasonPhrase} {Excerpt(body, ResultExcerpt)}").TrimEnd(), secrets))
                .With("status", status).With("elapsedMs", stopwatch.ElapsedMilliseconds);
        }
    }

    private static string Excerpt(string body, int max) => body.Length <= max ? body : body[..max] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "http job {Method} {Target} answered {Status} in {ElapsedMs} ms")]
    private static partial void LogCalled(ILogger logger, string method, string target, int status, long elapsedMs);
}
