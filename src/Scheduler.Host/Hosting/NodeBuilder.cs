using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.KeyPerFile;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Scheduler.Core.Hosting;
using Scheduler.Core.Logging;
using Scheduler.Core.Operations;
using Scheduler.Core.Quartz;
using Scheduler.Data;
using Scheduler.Data.Schedules;
using Scheduler.Jobs;
using Scheduler.Web;

namespace Scheduler.Host.Hosting;

/// <summary>Builds the node's web application: the table of contents of what a node is made of.</summary>
internal static class NodeBuilder
{
    /// <summary>Configuration, then the node (<see cref="NodeHostingExtensions.AddSchedulerNode"/>) with the shipped jobs.</summary>
    /// <param name="offline">
    /// For <c>validate --offline</c>: the node is built but never started nor connected, so a missing connection string is
    /// replaced by a placeholder that names no reachable server.
    /// </param>
    public static WebApplicationBuilder Create(IReadOnlyList<string> hostArgs, FileInfo? configFile, bool offline = false)
    {
        var builder = CreateConfigured(hostArgs, configFile);
        if (offline && string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(DataHostingExtensions.ConnectionStringName)))
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"ConnectionStrings:{DataHostingExtensions.ConnectionStringName}"] = OfflineConnectionString,
            });
        }

        return AddDatabaseStartup(builder.AddSchedulerNode(ShippedJobKinds.Create()));
    }

    /// <summary>What <c>validate --offline</c> builds with when no connection string is configured; never opened.</summary>
    private const string OfflineConnectionString = "Host=offline.invalid;Database=offline";

    /// <summary>Only configuration, logging and data: what the tool verbs (migrate) need.</summary>
    public static WebApplicationBuilder CreateForTool(IReadOnlyList<string> hostArgs, FileInfo? configFile)
    {
        var builder = CreateConfigured(hostArgs, configFile);
        builder.AddSchedulerLogging(NodeIdentity.Resolve(builder.Configuration)).AddSchedulerData(DataHostingExtensions.CliApplicationName);
        return AddDatabaseStartup(builder);
    }

    /// <summary>
    /// What the operator verbs (status, jobs, history, trigger…) need: data, Quartz as a client that is never started (so it
    /// neither fires nor checks in), and the operator queries and actions. Logging is off: output is the verb's own.
    /// </summary>
    public static WebApplicationBuilder CreateForOperator(IReadOnlyList<string> hostArgs, FileInfo? configFile)
    {
        var builder = CreateConfigured(hostArgs, configFile);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [NodeIdentity.InstanceIdKey] = $"cli-{Environment.MachineName}-{Environment.ProcessId}",
        });
        builder.Logging.ClearProviders();
        builder.AddSchedulerData(DataHostingExtensions.CliApplicationName).AddSchedulerQuartz(ShippedJobKinds.Create());
        builder.Services.AddSchedulerOperations();
        return builder;
    }

    /// <summary>What <see cref="DatabaseStartup"/> needs beside the data source: its options and the reconcile lock's store.</summary>
    private static WebApplicationBuilder AddDatabaseStartup(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StartupOptions>()
            .BindConfiguration(StartupOptions.SectionName)
            .Validate(o => o.StartupTimeout >= TimeSpan.FromSeconds(1) && o.StartupTimeout <= TimeSpan.FromDays(1),
                $"{StartupOptions.SectionName}:StartupTimeout must be between 00:00:01 and 1.00:00:00.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<ConfigJobStore>();
        return builder;
    }

    private static WebApplicationBuilder CreateConfigured(IReadOnlyList<string> hostArgs, FileInfo? configFile)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [.. hostArgs],
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (configFile is not null)
        {
            AddUnderEnvironment(builder.Configuration, FileSource(configFile));
        }

        if (SecretsDirectory() is { } secrets)
        {
            AddUnderEnvironment(builder.Configuration, new KeyPerFileConfigurationSource
            {
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(secrets),
                Optional = true,
            });
        }

        return builder;
    }

    /// <summary>The directory of secret files (<c>SCHEDULER_SECRETS_DIR</c>, else <c>/run/secrets</c> when it exists).</summary>
    /// <remarks>
    /// One file per key, named as its environment variable (<c>ConnectionStrings__Scheduler</c>), as Docker and Kubernetes
    /// mount secrets: a connection string or a key ring password then never sits in the environment.
    /// </remarks>
    private static string? SecretsDirectory() =>
        Environment.GetEnvironmentVariable(SecretsDirectoryVariable) is { Length: > 0 } configured ? Path.GetFullPath(configured)
        : Directory.Exists(DefaultSecretsDirectory) ? DefaultSecretsDirectory
        : null;

    /// <summary>Names the directory of secret files; see <see cref="SecretsDirectory"/>.</summary>
    public const string SecretsDirectoryVariable = "SCHEDULER_SECRETS_DIR";

    private const string DefaultSecretsDirectory = "/run/secrets";

    private static JsonConfigurationSource FileSource(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"--config: the file '{file.FullName}' does not exist.", file.FullName);
        }

        var source = new JsonConfigurationSource { Path = file.FullName, Optional = false, ReloadOnChange = false };
        source.ResolveFileProvider();
        return source;
    }

    /// <summary>
    /// Layers <paramref name="source"/> over appsettings*.json but under environment variables and the command line: just
    /// below the unprefixed environment source (the <c>DOTNET_</c>/<c>ASPNETCORE_</c> ones come before appsettings).
    /// </summary>
    private static void AddUnderEnvironment(ConfigurationManager configuration, IConfigurationSource source)
    {
        var sources = ((IConfigurationBuilder)configuration).Sources;
        var index = sources.ToList().FindLastIndex(s => s is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        sources.Insert(index < 0 ? sources.Count : index, source);
    }
}
