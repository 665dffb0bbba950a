using System.CommandLine;
using Scheduler.Host.Commands;

// `scheduler run | migrate | validate`: each verb is one file under Commands/.
var root = new RootCommand("Scheduler: a clustered Quartz.NET job scheduler on PostgreSQL.")
{
    RunCommand.Create(),
    MigrateCommand.Create(),
    ValidateCommand.Create(),
};

// The host handles SIGTERM itself (drain, then exit 0): System.CommandLine must not race it.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
