using System.Globalization;
using Microsoft.Extensions.Options;

namespace Scheduler.Web.Auth;

/// <summary>Refuses, at start, a key whose hash is not 64 hex digits or whose role is not viewer/operator, naming the key.</summary>
public sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var failures = new List<string>();
        foreach (var (keyName, entry) in options.ApiKeys)
        {
            var prefix = $"{AuthOptions.SectionName}:ApiKeys:{keyName}";
            if (keyName.Length is 0 or > 100 || keyName.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                failures.Add($"{prefix}: a key name is 1-100 characters without spaces.");
            }

            if (entry.Sha256.Length != 64 || !entry.Sha256.All(char.IsAsciiHexDigit))
            {
                failures.Add($"{prefix}:Sha256 must be the 64 hex digits of the key's SHA-256 (scheduler apikey new prints it).");
            }

            if (!SchedulerRoles.IsKnown(entry.Role?.ToLower(CultureInfo.InvariantCulture)))
            {
                failures.Add($"{prefix}:Role is '{entry.Role}'; it must be '{SchedulerRoles.Viewer}' or '{SchedulerRoles.Operator}'.");
            }
        }

        if (options.SessionLifetime < TimeSpan.FromSeconds(1) || options.SessionLifetime > TimeSpan.FromDays(30))
        {
            failures.Add($"{AuthOptions.SectionName}:SessionLifetime must be between 00:00:01 and 30.00:00:00.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
