using System.Net;
using System.Text.RegularExpressions;

namespace Scheduler.Tests.Infrastructure;

/// <summary>A browser-like HTTP session on the dashboard: cookies kept, antiforgery tokens read from the pages as a browser would.</summary>
public sealed partial class DashboardSession : IDisposable
{
    private readonly CookieContainer cookies = new();
    private readonly WebNode node;

    public DashboardSession(WebNode node)
    {
        this.node = node;
        Client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = node.Address };
    }

    public HttpClient Client { get; }

    public bool HasAuthCookie => cookies.GetCookies(node.Address).Any(c => c.Name == "scheduler.auth");

    /// <summary>The cookies this session holds for its node (to copy them, as a stolen cookie would be).</summary>
    public IReadOnlyList<Cookie> Cookies => cookies.GetCookies(node.Address).ToList();

    public static async Task<DashboardSession> SignInAsync(WebNode node, string key)
    {
        var session = new DashboardSession(node);
        var response = await session.TrySignInAsync(key);
        if (response.StatusCode != HttpStatusCode.Redirect || !session.HasAuthCookie)
        {
            session.Dispose();
            throw new InvalidOperationException($"Sign-in failed: {response.StatusCode}");
        }

        return session;
    }

    public async Task<HttpResponseMessage> TrySignInAsync(string key)
    {
        var token = await TokenAsync("/login");
        return await Client.PostAsync(new Uri("/login", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["key"] = key,
            ["returnUrl"] = "/",
        }));
    }

    /// <summary>Posts a dashboard form with a token read from <c>/jobs</c>, as the page's own form would.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> fields)
    {
        fields["__RequestVerificationToken"] = await TokenAsync("/jobs");
        return await Client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    public async Task<string> PageAsync(string path) => await Client.GetStringAsync(new Uri(path, UriKind.Relative));

    public void Dispose() => Client.Dispose();

    /// <summary>The antiforgery token a page of this session carries.</summary>
    public async Task<string> TokenAsync(string page)
    {
        var html = await PageAsync(page);
        return TokenPattern().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {page}.");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
