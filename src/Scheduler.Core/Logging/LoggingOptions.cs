namespace Scheduler.Core.Logging;

/// <summary>How a node writes its console log. Section <c>Scheduler:Logging</c>; levels and extra sinks come from the <c>Serilog</c> section.</summary>
public sealed class LoggingOptions
{
    public const string SectionName = "Scheduler:Logging";

    /// <summary><c>text</c> (readable, the default) or <c>json</c> (one JSON object per line, for log shippers).</summary>
    public string Format { get; set; } = "text";
}
