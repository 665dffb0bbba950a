using System.Globalization;
using System.Text;
using Quartz;
using Scheduler.Core.Operations;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary><c>/jobs/{group}/{name}</c>: schedule, next fires, what runs now, recent executions with a chart, and the actions.</summary>
internal static class JobPage
{
    public static async Task<string> RenderAsync(OperatorQueries q, JobKey key, PageContext page, CancellationToken ct)
    {
        var job = await q.JobAsync(key, ct);
        var executions = await q.ExecutionsAsync(new ExecutionFilter(key, null, null, null, null, 0, 30), ct);
        var stats = await q.StatisticsAsync(key, TimeSpan.FromHours(24), ct);
        var path = $"/jobs/{U(key.Group)}/{U(key.Name)}";
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <p>{E(job.Summary.Description)} <br><small>{E(job.Summary.Type)}</small></p>
            <div class="cards">
              <div class="card">State<b id="job-state">{E(job.Summary.State)}</b></div>
              <div class="card">Runs, 24 h<b>{stats.Runs}</b></div>
              <div class="card">Success, 24 h<b>{(stats.SuccessRate is { } r ? $"{r:P0}" : "—")}</b></div>
              <div class="card">p95 duration<b>{Ms(stats.DurationP95Ms)}</b></div>
              <div class="card">p99 lateness<b>{Ms(stats.Lateness.P99Ms)}</b></div>
            </div>
            """);
        if (page.IsOperator)
        {
            html.Append("<h2>Actions</h2><div id=\"job-actions\">")
                .Append(ActionForm($"{path}/trigger", "Trigger now", page.Token, withReason: true))
                .Append(job.Summary.State == "Paused"
                    ? ActionForm($"{path}/resume", "Resume job", page.Token, withReason: true)
                    : ActionForm($"{path}/pause", "Pause job", page.Token, withReason: true))
                .Append("</div>");
        }

        html.Append("<h2>Schedule</h2><div class=\"scroll\"><table id=\"triggers\"><tr><th>Trigger</th><th>Schedule</th><th>State</th><th>Next fire</th><th>Previous</th><th></th></tr>");
        foreach (var t in job.Triggers)
        {
            var paused = t.Pause is { } p ? $"<br><small>paused by {E(p.RequestedBy)}: {E(p.Reason)}</small>" : "";
            var local = t.TimeZone is null ? "" : $"<br><small>{E(t.NextFireLocal?.ToString("yyyy-MM-dd HH:mm:ss zzz", System.Globalization.CultureInfo.InvariantCulture))} {E(t.TimeZone)}</small>";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(t.Group)}.{E(t.Name)}</td><td><code>{E(t.Cron ?? t.Type)}</code></td><td>{Badge(t.State)}{paused}</td><td>{Time(t.NextFireUtc)}{local}</td><td>{Time(t.PreviousFireUtc)}</td><td>{TriggerActions(t, page)}</td></tr>");
        }

        html.Append("</table></div><h2>Next fires (UTC)</h2><p id=\"upcoming\">")
            .Append(job.UpcomingFireTimesUtc.Count == 0 ? "None." : string.Join(", ", job.UpcomingFireTimesUtc.Select(t => Time(t))))
            .Append("</p><h2>Running now</h2>").Append(RunningTable.Render(job.Running, page));
        if (job.LastFailureMessage is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h2>Last failure</h2><pre>{E(job.LastFailureMessage)}</pre>");
        }

        html.Append("<h2>Recent executions</h2>").Append(ExecutionTable.Chart(executions.Items)).Append(ExecutionTable.Render(executions.Items));
        return Layout.Page($"{key.Group}.{key.Name}", html.ToString(), page);
    }

    private static string TriggerActions(TriggerView t, PageContext page)
    {
        if (!page.IsOperator)
        {
            return "";
        }

        var path = $"/triggers/{U(t.Group)}/{U(t.Name)}";
        return t.State switch
        {
            "Error" => ActionForm($"{path}/reset", "Reset", page.Token),
            "Paused" => ActionForm($"{path}/resume", "Resume", page.Token),
            _ => ActionForm($"{path}/pause", "Pause", page.Token, withReason: true),
        };
    }
}
