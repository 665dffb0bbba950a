using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using Serilog;
using Serilog.Events;
using Serilog.Extensions.Hosting;
using Serilog.Formatting.Json;
using Scheduler.Core.Telemetry;

namespace Scheduler.Core.Logging;

/// <summary>Replaces the host's log providers with Serilog, configured from configuration and enriched with the node id.</summary>
public static class LoggingHostingExtensions
{
    private const string TextTemplate =
        "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Node} {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Adds Serilog: minimum levels and extra sinks from the <c>Serilog</c> section, the console format from
    /// <c>Scheduler:Logging:Format</c> (<c>text</c>|<c>json</c>), and an OTLP sink beside the metrics and traces when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Every event written inside a span carries its trace and span ids. The
    /// logger is flushed when the host is disposed.
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

        if (!string.IsNullOrWhiteSpace(builder.Configuration[TelemetryHostingExtensions.OtlpEndpointKey]))
        {
            configuration = WriteToOtlp(configuration, builder.Configuration, nodeId);
        }

        var logger = configuration.CreateLogger();
        // Serilog as a provider of the host's logger factory, not in place of it: Quartz's execution-log capture is a
        // provider of that factory too, and keeps what each firing logs with its history row.
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(logger, dispose: true);
        // What UseSerilogRequestLogging needs from AddSerilog, without AddSerilog replacing the logger factory.
        var diagnostics = new DiagnosticContext(logger);
        builder.Services.AddSingleton(diagnostics);
        builder.Services.AddSingleton<IDiagnosticContext>(diagnostics);
        builder.Services.AddSingleton<Serilog.ILogger>(logger);
        return builder;
    }

    /// <summary>
    /// One event per HTTP request (method, path, status, elapsed, the caller's key name) once it completes; probes and
    /// scrapes at Debug, server errors at Error. Nothing when <see cref="AddSchedulerLogging"/> was not called (test hosts).
    /// </summary>
    public static IApplicationBuilder UseSchedulerRequestLogging(this IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetService<Serilog.ILogger>() is not { } logger)
        {
            return app;
        }

        return app.UseSerilogRequestLogging(o =>
        {
            // Ours, not Serilog's static Log.Logger, which this process never assigns.
            o.Logger = logger;
            o.GetLevel = (context, _, error) =>
                error is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError ? LogEventLevel.Error
                : context.Request.Path.StartsWithSegments("/health") || context.Request.Path.StartsWithSegments("/metrics") ? LogEventLevel.Debug
                : LogEventLevel.Information;
            o.EnrichDiagnosticContext = (diagnostics, context) =>
                diagnostics.Set("User", context.User.Identity?.Name ?? "anonymous");
        });
    }

    /// <summary>
    /// Logs over OTLP with the same <c>OTEL_*</c> settings as the metrics and traces (read from configuration, so from the
    /// environment or a secret file), under the same resource.
    /// </summary>
    private static LoggerConfiguration WriteToOtlp(LoggerConfiguration configuration, IConfiguration settings, string nodeId) =>
        configuration.WriteTo.OpenTelemetry(o =>
        {
            o.ResourceAttributes = new Dictionary<string, object>
            {
                ["service.name"] = settings["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : "scheduler",
                ["service.instance.id"] = nodeId,
            };
            // The sink's own HTTP calls are not traced: they would be spans about exporting logs.
            o.OnBeginSuppressInstrumentation = SuppressInstrumentationScope.Begin;
        }, key => settings[key]);
}
