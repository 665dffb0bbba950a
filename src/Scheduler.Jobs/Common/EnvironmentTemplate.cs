using System.Text.RegularExpressions;

namespace Scheduler.Jobs.Common;

/// <summary>
/// Expands <c>${NAME}</c> placeholders from environment variables at run time, so secrets (tokens, passwords) live in the
/// environment and never in stored job data. Expanded values must not be logged.
/// </summary>
public static partial class EnvironmentTemplate
{
    /// <summary>The text with every <c>${NAME}</c> replaced by that environment variable.</summary>
    /// <exception cref="InvalidOperationException">A named variable is not set; the message names it (not its value).</exception>
    public static string Expand(string template) => Placeholder().Replace(template, match =>
        Environment.GetEnvironmentVariable(match.Groups[1].Value)
        ?? throw new InvalidOperationException($"Environment variable '{match.Groups[1].Value}' used in job data is not set."));

    /// <summary>The names of the variables a template uses.</summary>
    public static IEnumerable<string> Names(string template) => Placeholder().Matches(template).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
