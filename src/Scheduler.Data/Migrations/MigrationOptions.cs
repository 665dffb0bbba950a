namespace Scheduler.Data.Migrations;

/// <summary>How <c>migrate</c> behaves towards the running cluster. Section <c>Scheduler:Database:Migrations</c>.</summary>
public sealed class MigrationOptions
{
    public const string SectionName = "Scheduler:Database:Migrations";

    /// <summary>
    /// <c>lock_timeout</c> of each migration's transaction (default 5 s): a migration that cannot get a table lock gives up
    /// rather than queue every node session behind it, and is retried.
    /// </summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a migration that hit <see cref="LockTimeout"/> is tried again, with growing pauses (default 5).</summary>
    public int LockRetries { get; set; } = 5;

    /// <summary>
    /// The role migrations run as when it exists, the login may use it and it may create in the schema (default <c>scheduler_owner</c>, created by
    /// sql/roles.sql): the objects they create are then owned by it and get its default privileges. Empty: never switch.
    /// </summary>
    public string OwnerRole { get; set; } = "scheduler_owner";
}
