using System.Data.Common;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;
using Scheduler.Data.Operations;

namespace Scheduler.Web.Auth;

/// <summary>
/// Writes refused sign-ins and refused (403) or unauthenticated (401) API requests to the audit without letting a flood
/// of them flood it: per client, action and claimed key, the first refusal of a window is written at once and the rest
/// of that window as one row counting them (<c>detail.attempts</c>). Requests never wait on these writes.
/// </summary>
public sealed partial class RefusalAudit(
    AuditLog audit, ISchedulerFactory schedulers, IOptions<WebOptions> options, TimeProvider clock, ILogger<RefusalAudit> logger)
    : BackgroundService
{
    /// <summary>Distinct clients tracked at once; past this, refusals from new clients are counted under one row.</summary>
    private const int MaxTracked = 10_000;

    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);
    private readonly Lock gate = new();
    private readonly Dictionary<(string Action, string Source, string Actor), Window> windows = [];
    private readonly List<AuditEntry> pending = [];

    /// <summary>Notes one refusal; the audit row follows within a second (the first of its window) or at the window's end.</summary>
    public void Record(string action, string actor, string role, string target, string source, string outcome)
    {
        lock (gate)
        {
            var key = (action, source, actor);
            if (!windows.ContainsKey(key) && windows.Count >= MaxTracked)
            {
                key = (action, "many clients", "*");
            }

            if (windows.TryGetValue(key, out var window))
            {
                window.More++;
                window.LastTarget = target;
                return;
            }

            windows[key] = new Window(clock.GetUtcNow(), role, target, outcome);
            if (pending.Count < MaxTracked)
            {
                pending.Add(new AuditEntry(actor, role, action, target, null, null, source, "", outcome));
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(FlushEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(all: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await FlushAsync(all: true, CancellationToken.None);
    }

    private async Task FlushAsync(bool all, CancellationToken cancellationToken)
    {
        var rows = new List<AuditEntry>();
        var now = clock.GetUtcNow();
        lock (gate)
        {
            rows.AddRange(pending);
            pending.Clear();
            foreach (var (key, window) in windows.Where(w => all || now - w.Value.Started >= options.Value.RefusalAuditWindow).ToList())
            {
                windows.Remove(key);
                if (window.More > 0)
                {
                    rows.Add(new AuditEntry(key.Actor, window.Role, key.Action, window.LastTarget, null,
                        JsonSerializer.SerializeToElement(new { attempts = window.More, from = window.Started, to = now }),
                        key.Source, "", $"{window.Outcome} ({window.More} more in {(now - window.Started).TotalSeconds:0} s)"));
                }
            }
        }

        if (rows.Count == 0)
        {
            return;
        }

        try
        {
            var node = (await schedulers.GetScheduler(cancellationToken)).SchedulerInstanceId;
            foreach (var row in rows)
            {
                await audit.AppendAsync(row with { Node = node }, cancellationToken);
            }
        }
        catch (Exception e) when (e is DbException or TimeoutException or SchedulerException)
        {
            LogLost(logger, rows.Count, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Count} refused-request rows to the audit")]
    private static partial void LogLost(ILogger logger, int count, Exception exception);

    private sealed class Window(DateTimeOffset started, string role, string target, string outcome)
    {
        public DateTimeOffset Started { get; } = started;

        public string Role { get; } = role;

        public string Outcome { get; } = outcome;

        public string LastTarget { get; set; } = target;

        public long More { get; set; }
    }
}
