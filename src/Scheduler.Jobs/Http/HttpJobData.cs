using System.Globalization;
using System.Text.Json;

namespace Scheduler.Jobs.Http;

/// <summary>The <c>http</c> kind's job data: keys, parsing and validation. Values may hold <c>${NAME}</c> placeholders.</summary>
public sealed record HttpJobData(
    string Url, HttpMethod Method, IReadOnlyDictionary<string, string> Headers, string? Body, string ContentType,
    IReadOnlyList<(int From, int To)> ExpectedStatus, TimeSpan Timeout)
{
    public const string UrlKey = "url";
    public const string MethodKey = "method";
    public const string HeadersKey = "headers";
    public const string BodyKey = "body";
    public const string ContentTypeKey = "contentType";
    public const string ExpectedStatusKey = "expectedStatus";
    public const string TimeoutKey = "timeout";

    /// <summary>Every key of the kind: what request the job sends. Set by configuration only.</summary>
    public static readonly IReadOnlyCollection<string> Keys =
        [UrlKey, MethodKey, HeadersKey, BodyKey, ContentTypeKey, ExpectedStatusKey, TimeoutKey];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    /// <summary>Problems with the data, each a sentence naming the key and value; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> data)
    {
        var problems = new List<string>();
        if (!data.TryGetValue(UrlKey, out var url) || string.IsNullOrWhiteSpace(url))
        {
            problems.Add("Url is missing");
        }
        else if (!Uri.TryCreate(url.Replace("${", "x", StringComparison.Ordinal).Replace("}", "x", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            problems.Add($"Url '{Redact(url)}' is not an absolute http or https URL");
        }

        if (data.TryGetValue(MethodKey, out var method) && !Methods.Contains(method.ToUpperInvariant()))
        {
            problems.Add($"Method '{method}' is not one of {string.Join(", ", Methods)}");
        }

        if (data.TryGetValue(ExpectedStatusKey, out var status) && ParseStatus(status) is null)
        {
            problems.Add($"ExpectedStatus '{status}' is not a list of codes or ranges such as '200-299' or '200,204'");
        }

        if (data.TryGetValue(TimeoutKey, out var timeout)
            && (!TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out var parsed) || parsed <= TimeSpan.Zero || parsed > TimeSpan.FromHours(1)))
        {
            problems.Add($"Timeout '{timeout}' must be a duration from 00:00:00.001 to 01:00:00");
        }

        if (data.TryGetValue(HeadersKey, out var headers) && ParseHeaders(headers) is null)
        {
            problems.Add("Headers must be an object of header names to string values");
        }

        return problems;
    }

    /// <summary>Reads the data of a job that passed <see cref="Validate"/> (placeholders not yet expanded).</summary>
    public static HttpJobData From(IReadOnlyDictionary<string, string> data) => new(
        data[UrlKey],
        new HttpMethod(data.TryGetValue(MethodKey, out var method) ? method.ToUpperInvariant() : "GET"),
        data.TryGetValue(HeadersKey, out var headers) ? ParseHeaders(headers)! : new Dictionary<string, string>(),
        data.GetValueOrDefault(BodyKey),
        data.TryGetValue(ContentTypeKey, out var contentType) ? contentType : "application/json",
        ParseStatus(data.GetValueOrDefault(ExpectedStatusKey) ?? "200-299")!,
        data.TryGetValue(TimeoutKey, out var timeout) ? TimeSpan.Parse(timeout, CultureInfo.InvariantCulture) : TimeSpan.FromSeconds(30));

    /// <summary>Serialises headers for job data (names and templates only).</summary>
    public static string SerializeHeaders(IReadOnlyDictionary<string, string> headers) => JsonSerializer.Serialize(headers);

    /// <summary>The URL without its query string, for messages: queries often carry tokens.</summary>
    public static string Redact(string url)
    {
        var query = url.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? url : url[..query] + "?…";
    }

    private static Dictionary<string, string>? ParseHeaders(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<(int, int)>? ParseStatus(string text)
    {
        var ranges = new List<(int, int)>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2
                || !int.TryParse(bounds[0], CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(bounds[^1], CultureInfo.InvariantCulture, out var to)
                || from < 100 || to > 599 || from > to)
            {
                return null;
            }

            ranges.Add((from, to));
        }

        return ranges.Count == 0 ? null : ranges;
    }
}
