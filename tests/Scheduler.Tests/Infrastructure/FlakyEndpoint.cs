using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP server the <c>http</c> kind calls in the retry tests. It counts the calls of each occurrence by the
/// <c>Idempotency-Key</c> they carry and answers by path: <c>/fail/K</c> fails (503) the first K calls of each key and
/// then answers 200; <c>/status/S</c> always answers S; <c>/retry-after/N</c> answers the first call 429 with
/// <c>Retry-After: N</c> and later ones 200. <c>?hold=MS</c> holds every answer that long (a node killed meanwhile
/// leaves its call in flight). Every call is kept, with when it arrived.
/// </summary>
public sealed class FlakyEndpoint : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;
    private readonly Lock gate = new();
    private readonly List<Request> calls = [];
    private int open;

    public FlakyEndpoint()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        probe.Stop();
        listener.Prefixes.Add(Url + "/");
        listener.Start();
        loop = Task.Run(AcceptAsync);
    }

    /// <summary>One call: the path, the idempotency key, when it arrived and the status it was answered with.</summary>
    public sealed record Request(string Path, string Key, DateTimeOffset ReceivedAt, int Status);

    public string Url { get; }

    /// <summary>Requests whose answer has not been sent yet.</summary>
    public int Open => Volatile.Read(ref open);

    /// <summary>Every call so far, in arrival order.</summary>
    public IReadOnlyList<Request> Requests
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    /// <summary>The calls to <paramref name="path"/>, grouped by idempotency key.</summary>
    public Dictionary<string, List<Request>> ByKey(string path) =>
        Requests.Where(c => c.Path == path).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.ToList());

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task AcceptAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        Interlocked.Increment(ref open);
        try
        {
            var path = context.Request.Url!.AbsolutePath;
            var key = context.Request.Headers["Idempotency-Key"] ?? "";
            var received = DateTimeOffset.UtcNow;
            int status;
            lock (gate)
            {
                var seen = calls.Count(c => c.Path == path && c.Key == key);
                status = Answer(path, seen + 1, context.Response);
                calls.Add(new Request(path, key, received, status));
            }

            if (int.TryParse(context.Request.QueryString["hold"], CultureInfo.InvariantCulture, out var hold))
            {
                await Task.Delay(hold);
            }

            context.Response.StatusCode = status;
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
        {
            // The caller went away (a killed node): its call is recorded already.
        }
        finally
        {
            Interlocked.Decrement(ref open);
        }
    }

    private static int Answer(string path, int nth, HttpListenerResponse response)
    {
        var parts = path.Trim('/').Split('/');
        var n = parts.Length > 1 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var value) ? value : 0;
        switch (parts[0])
        {
            case "fail":
                return nth <= n ? 503 : 200;
            case "status":
                return n;
            case "retry-after" when nth == 1:
                response.Headers["Retry-After"] = n.ToString(CultureInfo.InvariantCulture);
                return 429;
            default:
                return 200;
        }
    }
}
