using System.Globalization;
using Npgsql;

namespace Scheduler.Bench.Workloads;

/// <summary>
/// Counts what the database executed for the scheduler database between two snapshots: statements from
/// pg_stat_statements when the extension can be used (scripts/pg-start.sh preloads it), and committed transactions
/// from pg_stat_database always. The snapshot queries themselves are left out. scripts/pg-start.sh sets
/// <c>pg_stat_statements.track = all</c>, so statements PostgreSQL runs inside another (foreign-key checks and cascades, a
/// trigger's or a function's queries) are counted too: they are kept apart (<see cref="NestedPrefix"/>) from the top-level
/// statements a client sent.
/// </summary>
public sealed class StatementCounter(BenchDatabase db)
{
    private const string OwnQueries = "query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_database%'";

    /// <summary>Prefix of the keys of statements run inside another one rather than sent by a client.</summary>
    public const string NestedPrefix = "(nested) ";

    public bool HasStatements { get; private set; }

    /// <summary>Creates the extension if this role may; otherwise only transactions are counted.</summary>
    public async Task InitializeAsync()
    {
        try
        {
            await db.ExecuteAsync("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            _ = await db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_statements");
            HasStatements = true;
        }
        catch (PostgresException)
        {
            HasStatements = false;
        }
    }

    /// <summary>Calls per statement text (and the total under the empty key), and committed transactions.</summary>
    public async Task<Snapshot> TakeAsync()
    {
        var calls = new Dictionary<string, long>();
        if (HasStatements)
        {
            foreach (var row in await db.RowsAsync(
                $"""
                SELECT CASE WHEN toplevel THEN '' ELSE '{NestedPrefix}' END || left(regexp_replace(query, '\s+', ' ', 'g'), 160),
                       sum(calls)::bigint FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND {OwnQueries} GROUP BY 1
                """))
            {
                calls[(string)row[0]!] = (long)row[1]!;
            }
        }

        var commits = await db.ScalarAsync<long>("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()");
        return new Snapshot(calls, commits);
    }

    /// <summary>What one snapshot holds.</summary>
    public sealed record Snapshot(IReadOnlyDictionary<string, long> Calls, long Commits)
    {
        /// <summary>Every top-level statement but the driver's own.</summary>
        public long Statements => Calls.Where(c => !IsDriver(c.Key) && !IsNested(c.Key)).Sum(c => c.Value);

        public static bool IsNested(string text) => text.StartsWith(NestedPrefix, StringComparison.Ordinal);

        public static bool IsDriver(string text) => text.Contains(BenchDatabase.DriverMarker, StringComparison.Ordinal);

        /// <summary>The statements run most often since <paramref name="before"/>, as "calls  text" lines.</summary>
        public IEnumerable<string> Top(Snapshot before, int count) => Calls
            .Select(c => (Text: c.Key, Delta: c.Value - before.Calls.GetValueOrDefault(c.Key)))
            .Where(c => c.Delta > 0 && !IsDriver(c.Text)).OrderByDescending(c => c.Delta).Take(count)
            .Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Delta,7}  {c.Text}"));
    }
}
