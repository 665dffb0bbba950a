using System.Net;
using System.Net.Sockets;

namespace Scheduler.Tests.Infrastructure;

/// <summary>A loopback TCP port nothing listens on right now, for a node process's <c>--urls</c>.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
