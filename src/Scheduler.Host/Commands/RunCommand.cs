using System.CommandLine;
using Npgsql;
using Scheduler.Core.Hosting;
using Scheduler.Data;
using Scheduler.Web;
using Scheduler.Data.Locks;
using Scheduler.Data.Migrations;
using Scheduler.Host.Hosting;

namespace Scheduler.Host.Commands;

/// <summary><c>scheduler run [--migrate] [--config FILE] [host options such as --urls]</c>: runs a cluster node until SIGTERM.</summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var migrate = new Option<bool>("--migrate") { Description = "Apply pending sql/ migrations before starting." };
        var samples = MigrateCommand.WithSamples();
        var config = CommonOptions.Config();
        var command = new Command("run", "Run a scheduler node; exits 0 after a clean SIGTERM, 3 when the stop deadline passed (database unreachable).")
        {
            migrate,
            samples,
            config,
        };
        // Anything else (--urls, --environment, key=value) goes to the host's own configuration.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction((parse, ct) => RunAsync(
            parse.UnmatchedTokens, parse.GetValue(migrate), parse.GetValue(samples), parse.GetValue(config), ct));
        return command;
    }

    private static async Task<int> RunAsync(IReadOnlyList<string> hostArgs, bool migrate, bool withSamples, FileInfo? config, CancellationToken ct)
    {
        WebApplication app;
        try
        {
            app = NodeBuilder.Create(hostArgs, config).Build();
            app.MapSchedulerWeb();
            var database = ActivatorUtilities.CreateInstance<DatabaseStartup>(app.Services);
            if (withSamples)
            {
                app.Services.GetRequiredService<MigrationRunner>().WithModules(Migration.SamplesModule);
            }

            // Until the node can start, its URLs answer live 200 / ready 503 naming what it waits for; SIGTERM ends the wait.
            await using var probe = await StartupProbe.StartAsync(StartupProbe.Urls(app.Configuration), app.Services.GetRequiredService<StartupProgress>(), ct);
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(ct, probe.Stopping);
            try
            {
                await (migrate ? database.MigrateAsync(waiting.Token) : database.EnsureCurrentAsync(waiting.Token));
                await database.WaitForReconcileLockAsync(waiting.Token);
            }
            catch (OperationCanceledException) when (probe.Stopping.IsCancellationRequested)
            {
                Console.Error.WriteLine("scheduler run: stopped while waiting to start.");
                return 0;
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
                var stop = app.Services.GetRequiredService<NodeStopOutcome>();
                await app.RunAsync();
                if (stop.ExitCode != NodeStopOutcome.CleanExitCode)
                {
                    // Quartz's worker threads are foreground threads still waiting on the database: returning would leave the
                    // process running for as long as the outage lasts. The host is disposed and its logs flushed by now.
                    Environment.Exit(stop.ExitCode);
                }

                return stop.ExitCode;
            }
            catch (Exception e)
            {
                app.Logger.LogCritical(e, "Node stopped on an error");
                return CommandFailure.Report("run", e);
            }
        }
    }
}
