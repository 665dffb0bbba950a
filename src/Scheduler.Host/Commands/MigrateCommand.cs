using System.CommandLine;
using Scheduler.Data.Migrations;
using Scheduler.Host.Hosting;

namespace Scheduler.Host.Commands;

/// <summary><c>scheduler migrate [--dry-run] [--with-samples] [--config FILE]</c>: applies the shipped sql/ migrations.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "List the migrations that would be applied; change nothing." };
        var samples = WithSamples();
        var config = CommonOptions.Config();
        var command = new Command("migrate", "Apply pending sql/ migrations under an advisory lock (safe to run concurrently).")
        {
            dryRun,
            samples,
            config,
        };
        command.SetAction((parse, ct) => MigrateAsync(parse.GetValue(dryRun), parse.GetValue(samples), parse.GetValue(config), ct));
        return command;
    }

    /// <summary><c>--with-samples</c>: also the optional sample module (sql/0100–0199, schema <c>sample</c>).</summary>
    public static Option<bool> WithSamples() => new("--with-samples")
    {
        Description = "Also apply the optional sample module (sql/0100: schema 'sample' for the worked-example jobs).",
    };

    private static async Task<int> MigrateAsync(bool dryRun, bool withSamples, FileInfo? config, CancellationToken ct)
    {
        try
        {
            await using var app = NodeBuilder.CreateForTool([], config).Build();
            var runner = app.Services.GetRequiredService<MigrationRunner>();
            if (withSamples)
            {
                runner.WithModules(Migration.SamplesModule);
            }

            if (dryRun)
            {
                var plan = await runner.PlanAsync(ct);
                Console.WriteLine(plan.IsCurrent
                    ? $"Schema is current at version {Current(plan)}; nothing to apply."
                    : $"Would apply {plan.Pending.Count} migration(s):{Environment.NewLine}" +
                      string.Join(Environment.NewLine, plan.Pending.Select(m => $"  {m.Name}  sha256:{m.Checksum}")));
                return 0;
            }

            var applied = await ActivatorUtilities.CreateInstance<DatabaseStartup>(app.Services).MigrateAsync(ct);
            var after = await app.Services.GetRequiredService<MigrationRunner>().PlanAsync(ct);
            Console.WriteLine(applied.Count == 0
                ? $"Schema is current at version {Current(after)}; nothing to apply."
                : $"Applied {applied.Count} migration(s) ({string.Join(", ", applied.Select(m => m.Name))}); schema at version {Current(after)}.");
            return 0;
        }
        catch (Exception e)
        {
            return CommandFailure.Report("migrate", e);
        }
    }

    private static int Current(MigrationPlan plan) => plan.AppliedVersions.Count == 0 ? 0 : plan.AppliedVersions.Max();
}
