using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Core.Retention;
using Scheduler.Core.Schedules;
using Scheduler.Data;
using Scheduler.Data.Retention;
using Scheduler.Data.Migrations;
using Scheduler.Host.Hosting;

namespace Scheduler.Host.Commands;

/// <summary>
/// <c>scheduler validate [--config FILE] [--next N] [--offline]</c>: checks the configuration a node would start with —
/// settings and every <c>Scheduler:Jobs</c> entry — printing each problem with the entry and the bad value, then (unless
/// offline) that the database answers and its schema is current. Exit 0 only when all is well.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var config = CommonOptions.Config();
        var offline = new Option<bool>("--offline") { Description = "Check configuration only; do not connect to the database." };
        var next = new Option<int>("--next") { Description = "Print the next N fire times of each schedule, in UTC and in its zone.", DefaultValueFactory = _ => 0 };
        var command = new Command("validate", "Check configuration, schedules and database schema; print each problem and exit non-zero.")
        {
            config,
            offline,
            next,
        };
        command.SetAction((parse, ct) => ValidateAsync(parse.GetValue(config), parse.GetValue(offline), parse.GetValue(next), ct));
        return command;
    }

    private static async Task<int> ValidateAsync(FileInfo? config, bool offline, int next, CancellationToken ct)
    {
        try
        {
            await using var app = NodeBuilder.Create([], config, offline).Build();
            var problems = new List<string>();
            // The same validation the host runs at start (every ValidateOnStart registration, Quartz's included).
            Collect(problems, () => app.Services.GetRequiredService<IStartupValidator>().Validate());
            Collect(problems, () => _ = app.Services.GetRequiredService<IOptions<StartupOptions>>().Value);
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine($"scheduler validate: {problem}");
                }

                Console.Error.WriteLine($"scheduler validate: error: {problems.Count} problem(s) found.");
                return CommandFailure.ExitCode;
            }

            var schedules = app.Services.GetRequiredService<IOptions<ScheduleOptions>>().Value;
            Console.WriteLine($"Configuration: OK ({schedules.Enabled.Count()} scheduled job(s))");
            if (next > 0)
            {
                PrintForecast(schedules, next, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            }

            var history = app.Services.GetRequiredService<IOptions<ExecutionHistoryOptions>>().Value;
            var perDay = HistoryCapacity.ConfiguredFiresPerDay(schedules.Enabled, app.Services.GetRequiredService<TimeProvider>().GetUtcNow());
            var capWarning = HistoryCapacity.Warning(history, perDay, "the configured schedules");
            if (offline)
            {
                Warn(capWarning);
                return 0;
            }

            var migrations = app.Services.GetRequiredService<MigrationRunner>();
            await migrations.EnsureCurrentAsync(ct);
            var plan = await migrations.PlanAsync(ct);
            Console.WriteLine($"Database: reachable; schema current ({plan.AppliedVersions.Count} migrations applied)");
            if (await DatabaseRole.SuperuserAsync(app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>(), ct) is { } superuser)
            {
                Console.Error.WriteLine($"scheduler validate: warning: {DatabaseRole.SuperuserWarning(superuser)}");
            }

            capWarning ??= HistoryCapacity.Warning(
                history, await app.Services.GetRequiredService<RetentionStore>().ExecutionsInLastHourAsync(ct) * 24.0, "measured over the last hour");
            Warn(capWarning);
            return 0;
        }
        catch (Exception e)
        {
            return CommandFailure.Report("validate", e);
        }
    }

    /// <summary>A problem that does not stop a node: printed to stderr as a warning, exit code unchanged.</summary>
    private static void Warn(string? warning)
    {
        if (warning is not null)
        {
            Console.Error.WriteLine($"scheduler validate: warning: {warning}");
        }
    }

    private static void Collect(List<string> problems, Action validate)
    {
        try
        {
            validate();
        }
        catch (OptionsValidationException e)
        {
            problems.AddRange(e.Failures);
        }
        catch (AggregateException e)
        {
            problems.AddRange(e.InnerExceptions.SelectMany(i => i is OptionsValidationException o ? o.Failures : [i.Message]));
        }
        catch (InvalidOperationException e)
        {
            // Binding errors: a value that does not convert names its key.
            problems.Add(e.InnerException is null ? e.Message : $"{e.Message} ({e.InnerException.Message})");
        }
    }

    private static void PrintForecast(ScheduleOptions schedules, int count, DateTimeOffset now)
    {
        foreach (var job in schedules.Enabled)
        {
            var zone = ScheduleCompiler.FindZone(job.TimeZone)!;
            Console.WriteLine($"{job.Group}.{job.Name} ({job.Type}, {job.TimeZone}){(job.Paused ? " paused" : "")}");
            foreach (var cron in job.Cron)
            {
                Console.WriteLine($"  {cron}");
                foreach (var (utc, local) in ScheduleForecast.Next(cron, zone, now, count))
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {utc:yyyy-MM-dd HH:mm:ss}Z   {local:yyyy-MM-dd HH:mm:ss zzz} {job.TimeZone}"));
                }
            }

            if (job.After is not null)
            {
                Console.WriteLine($"  after {job.After.Job} ({job.After.When})");
            }
        }
    }
}
