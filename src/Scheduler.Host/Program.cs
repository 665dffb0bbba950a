using System.CommandLine;
using Scheduler.Host.Commands;

// A node (`run`), its tools (`migrate`, `validate`, `apikey`, `health`) and the operator verbs: each verb is one file under Commands/,
// the action verbs (`trigger`, `pause`, `resume`, `reset`) built from the operator action catalogue.
var root = new RootCommand("Scheduler: a clustered Quartz.NET job scheduler on PostgreSQL.")
{
    RunCommand.Create(),
    MigrateCommand.Create(),
    ValidateCommand.Create(),
    ApiKeyCommand.Create(),
    HealthCommand.Create(),
    StatusCommand.Create(),
    JobsCommand.Create(),
    HistoryCommand.Create(),
    DeadLettersCommand.Create(),
};
foreach (var action in ActionCommands.Create())
{
    root.Subcommands.Add(action);
}

// The host handles SIGTERM itself (drain, then exit 0): System.CommandLine must not race it.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
