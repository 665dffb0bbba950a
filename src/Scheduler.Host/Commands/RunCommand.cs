using System.CommandLine;
using Npgsql;
using Scheduler.Data;
using Scheduler.Web;
using Scheduler.Host.Hosting;

namespace Scheduler.Host.Commands;

/// <summary><c>scheduler run [--migrate] [--config FILE] [host options such as --urls]</c>: runs a cluster node until SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var migrate = new Option<bool>("--migrate") { Description = "Apply pending sql/ migrations before starting." };
        var config = CommonOptions.Config();
        var command = new Command("run", "Run a scheduler node; exits 0 after a clean SIGTERM.")
        {
            migrate,
            config,
        };
        // Anything else (--urls, --environment, key=value) goes to the host's own configuration.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => RunAsync(parse.UnmatchedTokens, parse.GetValue(migrate), parse.GetValue(config), ct));
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> hostArgs, bool migrate, FileInfo? config, CancellationToken ct)
    {
        WebApplication app;
        try
        {
            app = NodeBuilder.Create(hostArgs, config).Build();
            app.MapSchedulerWeb();
            var database = ActivatorUtilities.CreateInstance<DatabaseStartup>(app.Services);
            if (migrate)
            {
                await database.MigrateAsync(ct);
            }
            else
            {
                await database.EnsureCurrentAsync(ct);
            }

            if (await DatabaseRole.SuperuserAsync(app.Services.GetRequiredService<NpgsqlDataSource>(), ct) is { } superuser)
            {
#pragma warning disable CA1848, CA2254 // Once per start; the text is a fixed sentence naming the role.
                app.Logger.LogWarning(DatabaseRole.SuperuserWarning(superuser));
#pragma warning restore CA1848, CA2254
            }
        }
        catch (Exception e)
        {
            return CommandFailure.Report("run", e);
        }

        await using (app)
        {
            try
            {
                await app.RunAsync();
                return 0;
            }
            catch (Exception e)
            {
                app.Logger.LogCritical(e, "Node stopped on an error");
                return CommandFailure.Report("run", e);
            }
        }
    }
}
