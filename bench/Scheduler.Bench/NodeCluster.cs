using System.Net;
using System.Net.Sockets;

namespace Scheduler.Bench;

/// <summary>
/// N nodes of one cluster (one Quartz instance name, so workloads never see each other's triggers), started with
/// the bench's fixed settings, a <see cref="NodeProfile"/> and the workload's own settings, and stopped by PID.
/// </summary>
public sealed class NodeCluster : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };
    private readonly List<NodeProcess> nodes = [];

    private NodeCluster(string instanceName, NodeProfile profile)
    {
        InstanceName = instanceName;
        Profile = profile;
    }

    public string InstanceName { get; }

    public NodeProfile Profile { get; }

    public IReadOnlyList<NodeProcess> Nodes => nodes;

    /// <summary>Settings every bench node gets, whatever the profile: they make runs comparable and stops bounded.</summary>
    public static IReadOnlyDictionary<string, string> FixedSettings { get; } = new Dictionary<string, string>
    {
        ["Scheduler__Shutdown__DrainTimeout"] = "00:00:05",
        ["Scheduler__Shutdown__InterruptGrace"] = "00:00:02",
    };

    /// <summary>Starts <paramref name="count"/> nodes and waits until each answers <c>/health/ready</c>.</summary>
    /// <exception cref="InvalidOperationException">A node exited or was not ready within 90 s.</exception>
    public static async Task<NodeCluster> StartAsync(BenchOptions options, string instanceName, int count, NodeProfile profile,
        IReadOnlyDictionary<string, string>? workloadSettings = null)
    {
        var cluster = new NodeCluster(instanceName, profile);
        var logs = Path.Combine(options.WorkDirectory, "logs");
        Directory.CreateDirectory(logs);
        try
        {
            for (var i = 1; i <= count; i++)
            {
                var port = FreePort();
                var env = new Dictionary<string, string>(FixedSettings)
                {
                    ["ConnectionStrings__Scheduler"] = options.Connection,
                    ["Quartz__Scheduler__InstanceName"] = instanceName,
                    ["Quartz__Scheduler__InstanceId"] = $"bench-node-{i}",
                    ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                };
                foreach (var (key, value) in profile.Settings.Concat(workloadSettings ?? new Dictionary<string, string>()))
                {
                    env[key] = value;
                }

                cluster.nodes.Add(NodeProcess.Start(options.SchedulerDll, $"bench-node-{i}", port,
                    Path.Combine(logs, $"{instanceName}-node-{i}.log"), env));
            }

            foreach (var node in cluster.nodes)
            {
                await WaitReadyAsync(node);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Fails when a node has died (other than one the workload killed on purpose).</summary>
    /// <exception cref="InvalidOperationException">A node exited.</exception>
    public void EnsureAlive(NodeProcess? except = null)
    {
        foreach (var node in nodes.Where(n => n != except && n.HasExited))
        {
            throw new InvalidOperationException($"{node.InstanceId} exited during the workload; log {node.LogPath}:{Environment.NewLine}{node.Tail()}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(nodes.Select(n => n.StopAsync(TimeSpan.FromSeconds(20))));
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {InstanceName}: {nodes.Count} node(s) stopped in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task WaitReadyAsync(NodeProcess node)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (node.HasExited)
            {
                throw new InvalidOperationException($"{node.InstanceId} exited at start; log {node.LogPath}:{Environment.NewLine}{node.Tail()}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{node.Port}/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        throw new InvalidOperationException($"{node.InstanceId} was not ready within 90 s; log {node.LogPath}:{Environment.NewLine}{node.Tail()}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
