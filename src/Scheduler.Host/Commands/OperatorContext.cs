using System.Text.Json;
using System.Text.Json.Serialization;
using Quartz;
using Scheduler.Core.Operations;
using Scheduler.Host.Hosting;

namespace Scheduler.Host.Commands;

/// <summary>
/// What an operator verb works with: the same queries and audited actions as the HTTP API, against the database
/// directly through a Quartz client that is never started. The actor is the OS user on this host.
/// </summary>
internal sealed class OperatorContext : IAsyncDisposable
{
    /// <summary>The JSON the verbs print with <c>--json</c>: the API's own shape (camelCase, enums as names).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    private readonly WebApplication app;

    private OperatorContext(WebApplication app) => this.app = app;

    public OperatorQueries Queries => app.Services.GetRequiredService<OperatorQueries>();

    public OperatorActions Actions => app.Services.GetRequiredService<OperatorActions>();

    public TimeProvider Clock => app.Services.GetRequiredService<TimeProvider>();

    public static Actor Actor { get; } = new(Environment.UserName, "cli", $"cli:{Environment.MachineName}");

    public static OperatorContext Open(FileInfo? config) => new(NodeBuilder.CreateForOperator([], config).Build());

    /// <summary>
    /// Parses <c>group.name</c> or <c>group/name</c> (the first separator splits; a bare name is in group <c>config</c>) under
    /// the API's name rules (<see cref="Input"/>).
    /// </summary>
    public static JobKey Job(string text) => Split(text, (name, group) => Input.Job(group, name));

    public static TriggerKey Trigger(string text) => Split(text, (name, group) => Input.Trigger(group, name));

    public static void Print(object value) => Console.WriteLine(JsonSerializer.Serialize(value, Json));

    /// <summary>Disposes, ignoring a failure to shut down a scheduler that never opened (the verb reports its own error).</summary>
    public async Task DisposeQuietlyAsync()
    {
        try
        {
            await DisposeAsync();
        }
        catch (Exception e) when (e is SchedulerException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        var scheduler = await Queries.SchedulerAsync(CancellationToken.None);
        await scheduler.Shutdown(false);
        await app.DisposeAsync();
    }

    private static T Split<T>(string text, Func<string, string, T> make)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var at = slash >= 0 ? slash : text.IndexOf('.', StringComparison.Ordinal);
        if (at == 0 || at == text.Length - 1 || string.IsNullOrWhiteSpace(text))
        {
            throw OperatorException.Invalid($"'{text}' is not a key: write group.name or group/name.");
        }

        return at < 0 ? make(text, "config") : make(text[(at + 1)..], text[..at]);
    }
}
