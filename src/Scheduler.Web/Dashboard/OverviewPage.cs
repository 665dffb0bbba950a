using System.Globalization;
using System.Text;
using Quartz;
using Scheduler.Core.Operations;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary><c>/</c>: nodes, what runs now, failures in the last hour, and the next fires.</summary>
internal static class OverviewPage
{
    public static async Task<string> RenderAsync(OperatorQueries q, TimeProvider clock, PageContext page, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var nodes = await q.NodesAsync(ct);
        var running = await q.RunningAsync(null, null, ct);
        var failures = await q.ExecutionsAsync(
            new ExecutionFilter(null, [JobRunResult.Failed], null, now.AddHours(-1), null, 0, 100), ct);
        var next = (await q.TriggersAsync(new TriggerFilter(null, null, null, null, 0, 500), ct)).Items
            .Where(t => t.NextFireUtc is not null && t.State is not ("Paused" or "PausedBlocked" or "Error")).OrderBy(t => t.NextFireUtc).Take(10).ToList();

        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <div class="cards">
              <div class="card">Nodes alive<b id="nodes-alive">{nodes.Count(n => n.State == "alive")}</b>of {nodes.Count}</div>
              <div class="card">Running now<b id="running-count">{running.Count}</b></div>
              <div class="card">Failures, last hour<b id="failures-hour">{failures.Items.Count}{(failures.HasMore ? "+" : "")}</b></div>
            </div>
            <h2>Nodes</h2><div class="scroll"><table id="nodes"><tr><th>Node</th><th>State</th><th>Last check-in</th><th>Version</th><th>Running</th></tr>
            """);
        foreach (var n in nodes)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(n.InstanceId)}</td><td>{Badge(n.State)}</td><td>{Time(n.LastCheckInUtc)}</td><td>{E(n.Version)}</td><td>{n.Running}</td></tr>");
        }

        html.Append("</table></div>");
        if (page.IsOperator)
        {
            // Every trigger of the cluster at once (audited): the switch for maintenance windows and restored copies.
            html.Append("<div id=\"scheduler-actions\">")
                .Append(ActionForm("/scheduler/pause", "Pause all", page.Token, withReason: true))
                .Append(ActionForm("/scheduler/resume", "Resume all", page.Token))
                .Append("</div>");
        }

        html.Append("<h2>Running now</h2>");
        html.Append(RunningTable.Render(running, page));
        html.Append("<h2>Failures in the last hour</h2>");
        html.Append(ExecutionTable.Render(failures.Items.Take(10).ToList()));
        html.Append("<h2>Next fires</h2><div class=\"scroll\"><table><tr><th>When (UTC)</th><th>Job</th><th>Trigger</th><th>State</th></tr>");
        foreach (var t in next)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(t.NextFireUtc)}</td><td>{JobLink(t.JobGroup, t.JobName)}</td><td>{E(t.Group)}.{E(t.Name)}</td><td>{Badge(t.State)}</td></tr>");
        }

        html.Append("</table></div>");
        return Layout.Page("Cluster overview", html.ToString(), page);
    }
}
