using Npgsql;

namespace Scheduler.Data.Clock;

/// <summary>Measures this process's clock offset from PostgreSQL's (<c>clock_timestamp()</c>, round-trip corrected).</summary>
public sealed class DatabaseClockProbe(NpgsqlDataSource dataSource)
{
    /// <summary>Readings taken per measurement; the one with the shortest round trip is kept, as NTP does.</summary>
    public const int Readings = 3;

    /// <summary>
    /// Reads the server's clock <see cref="Readings"/> times on one connection, timing each round trip on
    /// <paramref name="localClock"/>, and returns the reading with the shortest round trip.
    /// </summary>
    /// <exception cref="NpgsqlException">The database cannot be reached; nothing is assumed about the offset then.</exception>
    public async Task<ClockSample> MeasureAsync(TimeProvider localClock, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT clock_timestamp()", connection);
        ClockSample? best = null;
        for (var i = 0; i < Readings; i++)
        {
            var sentAt = localClock.GetUtcNow();
            var started = localClock.GetTimestamp();
            var server = (DateTime)(await command.ExecuteScalarAsync(cancellationToken))!;
            var roundTrip = localClock.GetElapsedTime(started);
            var offset = sentAt + roundTrip / 2 - new DateTimeOffset(DateTime.SpecifyKind(server, DateTimeKind.Utc));
            if (best is null || roundTrip < best.Value.RoundTrip)
            {
                best = new ClockSample(offset, roundTrip);
            }
        }

        return best!.Value;
    }
}
