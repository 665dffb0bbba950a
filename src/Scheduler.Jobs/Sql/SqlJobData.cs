using System.Globalization;

namespace Scheduler.Jobs.Sql;

/// <summary>The <c>sql</c> kind's job data: keys, parsing and validation.</summary>
public sealed record SqlJobData(string Sql, string? Connection, TimeSpan StatementTimeout)
{
    public const string SqlKey = "sql";
    public const string ConnectionKey = "connection";
    public const string StatementTimeoutKey = "statementTimeout";

    /// <summary>Every key of the kind: what the job runs, where and for how long. Set by configuration only.</summary>
    public static readonly IReadOnlyCollection<string> Keys = [SqlKey, ConnectionKey, StatementTimeoutKey];

    /// <summary>
    /// One minute unless the entry says otherwise: the statement runs in a transaction, and while any transaction is open
    /// vacuum cannot remove the rows the cluster deletes meanwhile (qrtz_fired_triggers, qrtz_triggers: sql/README.md).
    /// </summary>
    public static readonly TimeSpan DefaultStatementTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Problems with the data, each a sentence naming the key and value; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(IReadOnlyDictionary<string, string> data)
    {
        var problems = new List<string>();
        if (!data.TryGetValue(SqlKey, out var sql) || string.IsNullOrWhiteSpace(sql))
        {
            problems.Add("Sql is missing: give the statement or procedure call to run");
        }

        if (data.TryGetValue(StatementTimeoutKey, out var timeout)
            && (!TimeSpan.TryParse(timeout, CultureInfo.InvariantCulture, out var parsed) || parsed < TimeSpan.FromSeconds(1) || parsed > TimeSpan.FromDays(1)))
        {
            problems.Add($"Timeout '{timeout}' must be a duration from 00:00:01 to 1.00:00:00");
        }

        return problems;
    }

    /// <summary>Reads the data of a job that passed <see cref="Validate"/>.</summary>
    public static SqlJobData From(IReadOnlyDictionary<string, string> data) => new(
        data[SqlKey],
        data.TryGetValue(ConnectionKey, out var connection) && !string.IsNullOrWhiteSpace(connection) ? connection : null,
        data.TryGetValue(StatementTimeoutKey, out var timeout) ? TimeSpan.Parse(timeout, CultureInfo.InvariantCulture) : DefaultStatementTimeout);
}
