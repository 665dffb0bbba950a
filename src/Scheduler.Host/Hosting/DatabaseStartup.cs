using Microsoft.Extensions.Options;
using Npgsql;
using Scheduler.Data.Locks;
using Scheduler.Data.Migrations;
using Scheduler.Data.Schedules;

namespace Scheduler.Host.Hosting;

/// <summary>
/// Gets the database ready before the node schedules anything: waits for it with backoff while it is
/// unreachable, then migrates (<c>--migrate</c>) or refuses a schema that is behind, then waits until no other node holds the
/// reconcile lock. What it waits for is in <see cref="StartupProgress"/>, which <c>/health/ready</c> names meanwhile.
/// </summary>
internal sealed partial class DatabaseStartup(
    MigrationRunner migrations,
    ConfigJobStore configJobs,
    StartupProgress progress,
    IOptions<StartupOptions> options,
    TimeProvider timeProvider,
    ILogger<DatabaseStartup> logger)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    /// <summary>Applies pending migrations, waiting for the database first.</summary>
    public Task<IReadOnlyList<Migration>> MigrateAsync(CancellationToken cancellationToken) =>
        WithRetryAsync(migrations.ApplyAsync, cancellationToken);

    /// <summary>Throws <see cref="SchemaException"/> naming the first missing migration, waiting for the database first.</summary>
    public Task EnsureCurrentAsync(CancellationToken cancellationToken) =>
        WithRetryAsync(async ct => { await migrations.EnsureCurrentAsync(ct); return 0; }, cancellationToken);

    /// <summary>
    /// Returns once no node reconciles its configuration (advisory lock 83610002), logging the holder every 10 s, so a long
    /// wait happens here, where the node answers its health probes, and not inside the host's start.
    /// </summary>
    public Task WaitForReconcileLockAsync(CancellationToken cancellationToken) =>
        WithRetryAsync(async ct => { await configJobs.WaitUntilUnlockedAsync(progress, ct); return 0; }, cancellationToken);

    private async Task<T> WithRetryAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var deadline = timeProvider.GetUtcNow() + options.Value.StartupTimeout;
        var backoff = TimeSpan.FromMilliseconds(500);
        while (true)
        {
            try
            {
                var result = await action(cancellationToken);
                progress.Done();
                return result;
            }
            catch (NpgsqlException e) when (IsUnreachable(e) && timeProvider.GetUtcNow() + backoff < deadline)
            {
                progress.Waiting($"the database ({e.Message})");
                LogWaiting(logger, e.Message, backoff.TotalSeconds);
                await Task.Delay(backoff, timeProvider, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            catch (NpgsqlException e) when (IsUnreachable(e))
            {
                throw new InvalidOperationException(
                    $"The database in ConnectionStrings:Scheduler is unreachable after {options.Value.StartupTimeout} " +
                    $"(Scheduler:Database:StartupTimeout): {e.Message}", e);
            }
        }
    }

    /// <summary>Connection failures and server shutdowns are worth waiting out; a SQL error is not.</summary>
    private static bool IsUnreachable(NpgsqlException e) =>
        e is not PostgresException || ((PostgresException)e).SqlState is "57P03" or "57P01" or "53300";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database not reachable yet ({Reason}); retrying in {DelaySeconds} s")]
    private static partial void LogWaiting(ILogger logger, string reason, double delaySeconds);
}
