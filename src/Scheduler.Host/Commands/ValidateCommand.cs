using System.CommandLine;
using Microsoft.Extensions.Options;
using Scheduler.Core.Hosting;
using Scheduler.Data.Migrations;
using Scheduler.Host.Hosting;

namespace Scheduler.Host.Commands;

/// <summary>
/// <c>scheduler validate [--config FILE] [--offline]</c>: checks the configuration a node would start with, and
/// (unless offline) that the database answers and its schema is current. Exit 0 when all is well.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var offline = new Option<bool>("--offline") { Description = "Check configuration only; do not connect to the database." };
        var command = new Command("validate", "Check configuration and database schema; print each problem and exit non-zero.")
        {
            config,
            offline,
        };
        command.SetAction((parse, ct) => ValidateAsync(parse.GetValue(config), parse.GetValue(offline), ct));
        return command;
    }

    private static async Task<int> ValidateAsync(FileInfo? config, bool offline, CancellationToken ct)
    {
        try
        {
            await using var app = NodeBuilder.Create([], config).Build();
            // Resolving the options runs the same validation a node runs at start.
            _ = app.Services.GetRequiredService<IOptions<ShutdownOptions>>().Value;
            _ = app.Services.GetRequiredService<IOptions<StartupOptions>>().Value;
            Console.WriteLine("Configuration: OK");
            if (offline)
            {
                return 0;
            }

            await app.Services.GetRequiredService<MigrationRunner>().EnsureCurrentAsync(ct);
            Console.WriteLine($"Database: reachable; schema current ({MigrationCatalog.All.Count} migrations applied)");
            return 0;
        }
        catch (Exception e)
        {
            return CommandFailure.Report("validate", e);
        }
    }
}
