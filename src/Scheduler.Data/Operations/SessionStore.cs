using Npgsql;

namespace Scheduler.Data.Operations;

/// <summary>
/// Dashboard sessions in <c>scheduler_sessions</c> (sql/0011): started at sign-in with an absolute end, checked on every
/// dashboard request, ended by sign-out on every node at once.
/// </summary>
public sealed class SessionStore(NpgsqlDataSource dataSource)
{
    /// <summary>Starts a session for <paramref name="keyName"/> that ends after <paramref name="lifetime"/> whatever happens.</summary>
    public async Task<Guid> StartAsync(string keyName, string role, string source, string node, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid();
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO scheduler_sessions (id, key_name, role, source, node, expires_at)
            VALUES (@id, @key, @role, @source, @node, now() + @lifetime)
            """);
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("key", keyName);
        command.Parameters.AddWithValue("role", role);
        command.Parameters.AddWithValue("source", source);
        command.Parameters.AddWithValue("node", node);
        command.Parameters.AddWithValue("lifetime", lifetime);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return id;
    }

    /// <summary>Whether session <paramref name="id"/> of <paramref name="keyName"/> is live: started, not ended, not expired.</summary>
    public async Task<bool> IsLiveAsync(Guid id, string keyName, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT 1 FROM scheduler_sessions WHERE id = @id AND key_name = @key AND ended_at IS NULL AND expires_at > now()");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("key", keyName);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Ends session <paramref name="id"/> (sign-out): its cookie, and every copy of it, stops working on every node.</summary>
    public async Task EndAsync(Guid id, string reason, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE scheduler_sessions SET ended_at = now(), ended_reason = @reason WHERE id = @id AND ended_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
