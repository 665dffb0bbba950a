namespace Scheduler.Core.Schedules;

/// <summary>
/// Reads a configuration value that names an enum member: by name, case-insensitively, and never by number (so <c>1</c> does
/// not quietly mean the second member). Refusals list the allowed names.
/// </summary>
public static class EnumSetting
{
    /// <summary>The member <paramref name="value"/> names, or null when it names none.</summary>
    public static T? Find<T>(string? value)
        where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value?.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<T>(name)
            : null;

    /// <summary>Why <paramref name="value"/> is not a member of <typeparamref name="T"/> (<c>'x' is not one of A, B</c>), or null.</summary>
    public static string? Problem<T>(string? value)
        where T : struct, Enum =>
        Find<T>(value) is null ? $"'{value}' is not one of {string.Join(", ", Enum.GetNames<T>())}" : null;

    /// <summary>The member <paramref name="value"/> names; <paramref name="key"/> (the full configuration key) is in the error.</summary>
    /// <exception cref="InvalidOperationException">The value names no member; the message names the key and the allowed values.</exception>
    public static T Parse<T>(string key, string? value)
        where T : struct, Enum =>
        Find<T>(value) ?? throw new InvalidOperationException($"{key}: {Problem<T>(value)}.");
}
