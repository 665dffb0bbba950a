using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// A loopback HTTP server answering every request with one status and keeping what it was sent. With
/// <c>echo</c>, the response body repeats the request's path, Authorization header and body, as a careless receiver would.
/// </summary>
public sealed class RecordingServer : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly Task loop;

    public RecordingServer(HttpStatusCode status, bool echo = false)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        probe.Stop();
        listener.Prefixes.Add(Url + "/");
        listener.Start();
        loop = Task.Run(async () =>
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

                using var reader = new StreamReader(context.Request.InputStream);
                var request = new Request(context.Request.Url!.PathAndQuery, context.Request.Headers["Authorization"],
                    context.Request.Headers["Idempotency-Key"], await reader.ReadToEndAsync(), context.Request.Headers["traceparent"]);
                Requests.Enqueue(request);
                context.Response.StatusCode = (int)status;
                if (echo)
                {
                    var body = Encoding.UTF8.GetBytes($"you sent {request.PathAndQuery} with {request.Authorization}: {request.Body}");
                    await context.Response.OutputStream.WriteAsync(body);
                }

                context.Response.Close();
            }
        });
    }

    public string Url { get; }

    public ConcurrentQueue<Request> Requests { get; } = new();

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }

    /// <summary>One request as the server received it; <see cref="TraceParent"/> is the W3C trace context it carried.</summary>
    public sealed record Request(string PathAndQuery, string? Authorization, string? IdempotencyKey, string Body, string? TraceParent = null);
}
