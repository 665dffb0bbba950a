namespace Scheduler.Core.Schedules;

/// <summary>
/// Names job data keys whose values are secrets: when an operator passes one while triggering the job by hand, the audit
/// records a SHA-256 of the value instead of the value. Configuration can add more with <c>SecretData</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class SecretJobDataAttribute(params string[] keys) : Attribute
{
    /// <summary>The secret keys (compared case-insensitively).</summary>
    public IReadOnlyList<string> Keys { get; } = keys;
}
