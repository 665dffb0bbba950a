using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Scheduler.Tests.Observability;

/// <summary>
/// A real Prometheus (Debian's package) on a free loopback port, with its data under the config copy's directory. Disposing
/// kills it by its own PID and waits for it.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Process process;
    private readonly StringBuilder output = new();

    private PrometheusServer(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static PrometheusServer Start(PrometheusConfigCopy config)
    {
        var port = FreePort();
        var info = new ProcessStartInfo(PrometheusTools.Require("prometheus"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = config.Root,
        };
        info.ArgumentList.Add($"--config.file={config.ConfigFile}");
        info.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(config.Root, "data")}");
        info.ArgumentList.Add($"--web.listen-address=127.0.0.1:{port}");
        var process = Process.Start(info)!;
        var server = new PrometheusServer(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Prometheus's own log, for assertion messages.</summary>
    public string Log { get { lock (output) { return output.ToString(); } } }

    /// <summary>An instant query's result vector (empty while Prometheus is starting or has nothing).</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> QueryAsync(string promql)
    {
        try
        {
            using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri(Address, $"/api/v1/query?query={Uri.EscapeDataString(promql)}")));
            return document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
                .Select(r => ((IReadOnlyDictionary<string, string>)r.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""),
                    double.Parse(r.GetProperty("value")[1].GetString()!, System.Globalization.CultureInfo.InvariantCulture)))
                .ToList();
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>Prometheus's error for <paramref name="promql"/> (a parse or type error), or null when it evaluates.</summary>
    public async Task<string?> ErrorOfAsync(string promql)
    {
        using var response = await Http.GetAsync(new Uri(Address, $"/api/v1/query?query={Uri.EscapeDataString(promql)}"));
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.GetProperty("status").GetString() == "success"
            ? null
            : document.RootElement.GetProperty("error").GetString();
    }

    /// <summary>The body of <c>GET path</c> (rules, targets), or null while Prometheus is not answering yet.</summary>
    public async Task<string?> GetAsync(string path)
    {
        try
        {
            return await Http.GetStringAsync(new Uri(Address, path));
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
