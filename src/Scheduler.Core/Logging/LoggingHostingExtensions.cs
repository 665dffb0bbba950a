using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting.Json;

namespace Scheduler.Core.Logging;

/// <summary>Replaces the host's log providers with Serilog, configured from configuration and enriched with the node id.</summary>
public static class LoggingHostingExtensions
{
    private const string TextTemplate =
        "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Node} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Adds Serilog: minimum levels and extra sinks from the <c>Serilog</c> section, the console format from
    /// <c>Scheduler:Logging:Format</c> (<c>text</c>|<c>json</c>). The logger is flushed when the host is disposed.
    /// </summary>
    /// <exception cref="InvalidOperationException">The format is neither text nor json; the message names the key.</exception>
    public static IHostApplicationBuilder AddSchedulerLogging(this IHostApplicationBuilder builder, string nodeId)
    {
        var options = builder.Configuration.GetSection(LoggingOptions.SectionName).Get<LoggingOptions>() ?? new LoggingOptions();
        var configuration = new LoggerConfiguration()
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Node", nodeId);

        configuration = options.Format.ToLowerInvariant() switch
        {
            "text" => configuration.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture),
            "json" => configuration.WriteTo.Console(new JsonFormatter(renderMessage: true)),
            _ => throw new InvalidOperationException(
                $"Scheduler:Logging:Format is '{options.Format}'; expected 'text' or 'json'."),
        };

        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
        return builder;
    }
}
