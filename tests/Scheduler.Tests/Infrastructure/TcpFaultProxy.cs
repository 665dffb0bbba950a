using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy between one node and PostgreSQL that can cut the network or slow it down. <see cref="Blackhole"/>
/// stops every byte both ways (open connections hang, new ones are accepted and hang, as behind a partition);
/// <see cref="Heal"/> resets the connections that were cut (their TCP sessions would have timed out) and passes new ones;
/// <see cref="Delay"/> holds every chunk for a fixed time in each direction, as a slow network does.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint target;
    private readonly ConcurrentDictionary<Link, int> links = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;
    private volatile bool cut;
    private long delayTicks;

    public TcpFaultProxy(int targetPort)
    {
        target = new IPEndPoint(IPAddress.Loopback, targetPort);
        listener.Start();
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    private TimeSpan CurrentDelay => TimeSpan.FromTicks(Interlocked.Read(ref delayTicks));

    /// <summary>Cuts the network: nothing passes either way until <see cref="Heal"/>.</summary>
    public void Blackhole() => cut = true;

    /// <summary>Ends a cut (resetting the connections it held) and any delay.</summary>
    public void Heal()
    {
        Interlocked.Exchange(ref delayTicks, 0);
        if (!cut)
        {
            return;
        }

        foreach (var link in links.Keys)
        {
            link.Dispose();
        }

        cut = false;
    }

    /// <summary>Holds every chunk for <paramref name="delay"/> in each direction (so a round trip takes twice that longer).</summary>
    public void Delay(TimeSpan delay) => Interlocked.Exchange(ref delayTicks, delay.Ticks);

    /// <summary>The connection string <paramref name="connectionString"/> rerouted through this proxy.</summary>
    public string Route(string connectionString) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Host = "127.0.0.1", Port = Port }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        foreach (var link in links.Keys)
        {
            link.Dispose();
        }

        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stopping.Token);
            _ = Task.Run(() => LinkAsync(client));
        }
    }

    private async Task LinkAsync(TcpClient client)
    {
        var server = new TcpClient();
        var link = new Link(client, server);
        links[link] = 0;
        try
        {
            await server.ConnectAsync(target, stopping.Token);
            await Task.WhenAll(PumpAsync(client.GetStream(), server.GetStream()), PumpAsync(server.GetStream(), client.GetStream()));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // One side closed or the link was reset: close both.
        }
        finally
        {
            links.TryRemove(link, out _);
            link.Dispose();
        }
    }

    /// <summary>Copies one direction: each chunk waits out a cut, then is written once its delay has passed.</summary>
    private async Task PumpAsync(NetworkStream from, NetworkStream to)
    {
        var chunks = Channel.CreateUnbounded<(DateTimeOffset Due, byte[] Bytes)>();
        var writer = Task.Run(async () =>
        {
            await foreach (var (due, bytes) in chunks.Reader.ReadAllAsync(stopping.Token))
            {
                while (cut || DateTimeOffset.UtcNow < due)
                {
                    await Task.Delay(cut ? TimeSpan.FromMilliseconds(50) : due - DateTimeOffset.UtcNow, stopping.Token);
                }

                await to.WriteAsync(bytes, stopping.Token);
            }
        });
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, stopping.Token)) > 0)
        {
            await chunks.Writer.WriteAsync((DateTimeOffset.UtcNow + CurrentDelay, buffer[..read]), stopping.Token);
        }

        chunks.Writer.Complete();
        await writer;
        to.Socket.Shutdown(SocketShutdown.Send);
    }

    private sealed record Link(TcpClient Client, TcpClient Server) : IDisposable
    {
        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
        }
    }
}
