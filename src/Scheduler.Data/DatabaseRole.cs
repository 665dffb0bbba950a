using Npgsql;

namespace Scheduler.Data;

/// <summary>Who the node is in PostgreSQL: a node should connect as the least-privileged role (sql/README.md), never a superuser.</summary>
public static class DatabaseRole
{
    /// <summary>
    /// The name of the role the data source connects as when it is a superuser, otherwise null. A superuser can run
    /// <c>COPY … TO PROGRAM</c> and read every database: whatever a job's SQL does, it does with all of that.
    /// </summary>
    public static async Task<string?> SuperuserAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var command = dataSource.CreateCommand("SELECT current_user::text FROM pg_roles WHERE rolname = current_user AND rolsuper");
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>The warning a node logs and <c>validate</c> prints about <paramref name="role"/>.</summary>
    public static string SuperuserWarning(string role) =>
        $"The node connects to PostgreSQL as '{role}', a superuser: every sql job and anyone who can change the node's " +
        "configuration then acts with all of PostgreSQL's power (COPY ... TO PROGRAM runs shell commands). Connect as a member " +
        "of scheduler_runtime instead (sql/roles.sql, sql/README.md).";
}
