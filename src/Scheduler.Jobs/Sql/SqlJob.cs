using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;
using Quartz;
using Scheduler.Core.Fencing;
using Scheduler.Data;
using Scheduler.Jobs.Common;

namespace Scheduler.Jobs.Sql;

/// <summary>
/// The built-in <c>sql</c> kind: runs a configured statement in a transaction with a statement timeout — what a DBA
/// would otherwise use pg_cron for. Against the scheduler database it runs inside the occurrence's claim transaction,
/// so the statement's effect and the occurrence's completion commit together (exactly once). The parameters
/// <c>@job_name</c>, <c>@scheduled_fire_time</c>, <c>@fire_instance_id</c> and <c>@instance_id</c> are bound when used.
/// </summary>
public sealed partial class SqlJob(NpgsqlDataSource dataSource, IConfiguration configuration, ILogger<SqlJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // The job's own data only: what it runs is fixed by configuration, never by data a trigger carries.
        var raw = JobDataReader.Strings(context.JobDetail.JobDataMap);
        if (SqlJobData.Validate(raw) is { Count: > 0 } problems)
        {
            throw new JobExecutionException($"sql job {context.JobDetail.Key}: {string.Join("; ", problems)}");
        }

        var data = SqlJobData.From(raw);
        var occurrence = FencedOccurrence.Current;
        int rows;
        try
        {
            if (data.Connection is null && occurrence is not null)
            {
                await using var fenced = await occurrence.BeginTransactionAsync(cancellationToken);
                rows = await RunAsync(fenced.Connection, fenced.Transaction, data, context, occurrence.Key.ScheduledFireTime, cancellationToken);
                await occurrence.CommitAsync(fenced, cancellationToken);
            }
            else
            {
                await using var connection = await OpenAsync(data.Connection, context, cancellationToken);
                try
                {
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                    rows = await RunAsync(connection, transaction, data, context, OccurrenceKey.For(context).ScheduledFireTime, cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                }
                finally
                {
                    // Nothing the statement did to its session survives it on the pooled connection.
                    await SessionState.ResetAsync(connection, CancellationToken.None);
                }
            }
        }
        catch (PostgresException e)
        {
            throw new JobExecutionException($"sql job {context.JobDetail.Key} failed: {e.MessageText} (SQLSTATE {e.SqlState})", e);
        }

        context.Result = JobRunReport.Succeeded(string.Create(CultureInfo.InvariantCulture, $"sql: {rows} rows affected")).With("rows", rows);
        LogRan(logger, context.JobDetail.Key, rows);
    }

    private async Task<NpgsqlConnection> OpenAsync(string? name, IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (name is null)
        {
            return await dataSource.OpenConnectionAsync(cancellationToken);
        }

        var connectionString = configuration.GetConnectionString(name)
            ?? throw new JobExecutionException($"sql job {context.JobDetail.Key}: connection string '{name}' is not configured (ConnectionStrings__{name}).");
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task<int> RunAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SqlJobData data, IJobExecutionContext context,
        DateTimeOffset scheduledFireTime, CancellationToken cancellationToken)
    {
        await using (var timeout = new NpgsqlCommand("SELECT set_config('statement_timeout', @ms, true)", connection, transaction))
        {
            timeout.Parameters.AddWithValue("ms", ((long)data.StatementTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            await timeout.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = new NpgsqlCommand(data.Sql, connection, transaction) { CommandTimeout = 0 };
        var used = ParameterName().Matches(data.Sql).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Bind(command, used, "job_name", context.JobDetail.Key.ToString());
        Bind(command, used, "scheduled_fire_time", scheduledFireTime);
        Bind(command, used, "fire_instance_id", context.FireInstanceId);
        Bind(command, used, "instance_id", context.Scheduler.SchedulerInstanceId);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(NpgsqlCommand command, HashSet<string> used, string name, object value)
    {
        if (used.Contains(name))
        {
            command.Parameters.AddWithValue(name, value);
        }
    }

    [GeneratedRegex(@"@([a-z_]+)\b")]
    private static partial Regex ParameterName();

    [LoggerMessage(Level = LogLevel.Debug, Message = "sql job {JobKey}: {Rows} rows affected")]
    private static partial void LogRan(ILogger logger, JobKey jobKey, int rows);
}
