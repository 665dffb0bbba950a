namespace Scheduler.Data.Migrations;

/// <summary>The database schema cannot be used by this binary: a migration is missing, or an applied one was modified.</summary>
public sealed class SchemaException : Exception
{
    public SchemaException(string message)
        : base(message)
    {
    }

    public SchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SchemaException()
    {
    }
}
