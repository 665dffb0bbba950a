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

    /// <summary>
    /// The text with every <c>${NAME}</c> replaced, adding each value it put in to <paramref name="expanded"/> so that what
    /// comes back (a response that echoes the request) can be redacted before it is stored.
    /// </summary>
    /// <exception cref="InvalidOperationException">A named variable is not set; the message names it (not its value).</exception>
    public static string Expand(string template, ISet<string> expanded)
    {
        ArgumentNullException.ThrowIfNull(expanded);
        return Placeholder().Replace(template, match =>
        {
            var value = Environment.GetEnvironmentVariable(match.Groups[1].Value)
                ?? throw new InvalidOperationException($"Environment variable '{match.Groups[1].Value}' used in job data is not set.");
            if (value.Length > 0)
            {
                expanded.Add(value);
            }

            return value;
        });
    }

    /// <summary>
    /// <paramref name="text"/> with every expanded value (as given, and URL-encoded) replaced by <c>***</c>: what a job
    /// stores in history or logs never holds a secret the environment lent it.
    /// </summary>
    public static string Redact(string text, IEnumerable<string> expanded)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var value in expanded.OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, "***", StringComparison.Ordinal);
            var encoded = Uri.EscapeDataString(value);
            if (encoded != value)
            {
                text = text.Replace(encoded, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>The names of the variables a template uses.</summary>
    public static IEnumerable<string> Names(string template) => Placeholder().Matches(template).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Placeholder();
}
