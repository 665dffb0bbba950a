namespace Scheduler.Bench;

/// <summary>What every workload gets: the options, the database, the results it adds to, and the clock.</summary>
public sealed record BenchContext(BenchOptions Options, BenchDatabase Db, BenchResults Results, TimeProvider Time)
{
    /// <summary>Full size or smoke size.</summary>
    public T Size<T>(T full, T smoke) => Options.Smoke ? smoke : full;

    public string Mode => Options.Smoke ? "smoke" : "full";

    /// <summary>A progress line on stderr, so stdout stays the table.</summary>
    public void Log(string message) => Console.Error.WriteLine($"[{Time.GetUtcNow():HH:mm:ss}] {message}");
}
