using System.CommandLine;

namespace Scheduler.Host.Commands;

/// <summary>Options several verbs share.</summary>
internal static class CommonOptions
{
    /// <summary><c>--config FILE</c>: a JSON file layered over appsettings.json (environment variables still win).</summary>
    public static Option<FileInfo?> Config() => new("--config")
    {
        Description = "A JSON configuration file layered over appsettings.json; environment variables still override it.",
    };
}
