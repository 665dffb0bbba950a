using System.Globalization;

namespace Scheduler.Tests.Infrastructure;

/// <summary>
/// A shifted wall clock for one node process: libfaketime (Debian package <c>faketime</c>, installed by scripts/fault-deps.sh)
/// preloaded with its offset in a file the test can rewrite while the node runs (re-read every second). The monotonic
/// clock is left alone, as NTP leaves it.
/// </summary>
public sealed class SkewedClock : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"scheduler-faketime-{Guid.NewGuid():N}");

    public SkewedClock(TimeSpan offset) => Set(offset);

    /// <summary>The environment a node needs to run on this clock.</summary>
    public IEnumerable<(string Key, string Value)> Environment =>
    [
        ("LD_PRELOAD", Library),
        ("FAKETIME_TIMESTAMP_FILE", file),
        ("FAKETIME_CACHE_DURATION", "1"),
        ("FAKETIME_DONT_FAKE_MONOTONIC", "1"),
    ];

    /// <summary>Moves the clock to <paramref name="offset"/> from real time; a running node sees it within a second.</summary>
    public void Set(TimeSpan offset) =>
        File.WriteAllText(file, (offset.TotalSeconds >= 0 ? "+" : "") + offset.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s\n");

    public void Dispose() => File.Delete(file);

    private static string Library =>
        System.IO.Directory.GetDirectories("/usr/lib", "*-linux-gnu")
            .Select(d => Path.Combine(d, "faketime", "libfaketimeMT.so.1"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("libfaketime is not installed: run the tests with scripts/test.sh (scripts/fault-deps.sh installs it).");
}
