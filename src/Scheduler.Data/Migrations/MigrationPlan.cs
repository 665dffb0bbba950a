namespace Scheduler.Data.Migrations;

/// <summary>What <c>scheduler migrate</c> would do: the shipped migrations not yet applied, and what is already there.</summary>
/// <param name="Pending">
/// Shipped migrations missing from <c>schema_migrations</c>, in the order they would run: the core schema's, and those of an
/// optional module that was asked for or already has a file applied.
/// </param>
/// <param name="AppliedVersions">Versions recorded in <c>schema_migrations</c>.</param>
/// <param name="UnknownVersions">Versions recorded in the database that this binary does not ship (a newer binary migrated it).</param>
public sealed record MigrationPlan(
    IReadOnlyList<Migration> Pending,
    IReadOnlyList<int> AppliedVersions,
    IReadOnlyList<int> UnknownVersions)
{
    /// <summary>True when every shipped migration is applied.</summary>
    public bool IsCurrent => Pending.Count == 0;
}
