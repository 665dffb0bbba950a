using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Scheduler.Web.Auth;

namespace Scheduler.Host.Commands;

/// <summary>
/// <c>scheduler apikey new --role viewer|operator [--name NAME]</c>: prints a fresh random key and the two environment lines
/// that configure it (<c>Scheduler__Auth__ApiKeys__NAME__Sha256</c> and <c>…__Role</c>). Only the hash is ever configured.
/// </summary>
internal static class ApiKeyCommand
{
    public static Command Create()
    {
        var role = new Option<string>("--role") { Description = "viewer (read) or operator (read and act).", Required = true };
        var name = new Option<string?>("--name") { Description = "Who the audit says acted: letters, digits, '_' (default: <role>_<random>)." };
        var create = new Command("new", "Print a new API key and the configuration lines for it.") { role, name };
        create.SetAction(parse =>
        {
            var r = parse.GetValue(role)!.ToLowerInvariant();
            if (!SchedulerRoles.IsKnown(r))
            {
                Console.Error.WriteLine($"scheduler apikey new: --role is '{parse.GetValue(role)}'; use viewer or operator.");
                return OperatorVerb.RefusedExitCode;
            }

            var keyName = parse.GetValue(name) ?? $"{r}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
            // Letters, digits and '_' only: the name becomes part of an environment variable a shell can export.
            if (keyName.Length is 0 or > 100 || !keyName.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                Console.Error.WriteLine($"scheduler apikey new: --name '{keyName}' must be 1-100 letters, digits or '_' (it becomes part of an environment variable name).");
                return OperatorVerb.RefusedExitCode;
            }

            var key = "sk_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
            Console.WriteLine($"# API key '{keyName}' ({r}). Give the key to its user; it is not stored anywhere and cannot be shown again:");
            Console.WriteLine($"# {key}");
            Console.WriteLine($"Scheduler__Auth__ApiKeys__{keyName}__Sha256={hash}");
            Console.WriteLine($"Scheduler__Auth__ApiKeys__{keyName}__Role={r}");
            return 0;
        });
        return new Command("apikey", "Manage API keys.") { create };
    }
}
