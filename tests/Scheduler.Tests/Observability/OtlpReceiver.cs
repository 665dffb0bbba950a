using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Scheduler.Tests.Observability;

/// <summary>A minimal OTLP/HTTP endpoint on loopback that keeps what it is sent, by path.</summary>
public sealed class OtlpReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<(string Path, byte[] Body)> received = new();
    private readonly Task loop;

    public OtlpReceiver()
    {
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Whether some request to <paramref name="path"/> carried <paramref name="text"/> (protobuf keeps strings as UTF-8).</summary>
    public bool Received(string path, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return received.Any(r => r.Path == path && r.Body.AsSpan().IndexOf(needle) >= 0);
    }

    /// <summary>Every span received so far on <c>/v1/traces</c>.</summary>
    public IReadOnlyList<OtlpSpans.Span> Spans() =>
        received.Where(r => r.Path == "/v1/traces").SelectMany(r => OtlpSpans.Decode(r.Body)).ToList();

    public string Summary() => string.Join(", ", received.GroupBy(r => r.Path).Select(g => $"{g.Key}×{g.Count()}"));

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
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

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            received.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
