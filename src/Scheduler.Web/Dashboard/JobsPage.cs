using System.Globalization;
using System.Text;
using Scheduler.Core.Operations;
using Scheduler.Web.Api;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary><c>/jobs</c>: every job with its state, next fire and last run; filter by group, name and state; paged.</summary>
internal static class JobsPage
{
    private static readonly string[] States = ["normal", "paused", "error", "blocked"];

    public static async Task<string> RenderAsync(
        OperatorQueries q, string? group, string? name, string? state, int? skip, PageContext page, CancellationToken ct)
    {
        var (s, t) = Input.Paging(skip, 50);
        var jobs = await q.JobsAsync(new JobFilter(Input.OptionalName("group", group), Input.OptionalName("name", name), Input.State(state), s, t), ct);
        var html = new StringBuilder($"""
            <form method="get" action="/jobs" class="inline">
              <input type="text" name="group" placeholder="group" value="{E(group)}">
              <input type="text" name="name" placeholder="name contains" value="{E(name)}">
              <select name="state"><option value="">any state</option>
                {string.Join("", States.Select(o => $"<option{(o == state ? " selected" : "")}>{o}</option>"))}
              </select>
              <button type="submit">Filter</button>
            </form>
            <div class="scroll"><table id="jobs"><tr><th>Job</th><th>State</th><th>Next fire (UTC)</th><th>Last run</th><th>Runs</th><th>Failures</th></tr>
            """);
        foreach (var j in jobs.Items)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{JobLink(j.Group, j.Name)}<br><small>{E(j.Description)}</small></td><td>{Badge(j.State)}</td><td>{Time(j.NextFireUtc)}</td><td>{Time(j.LastRunUtc)} {Badge(j.LastResult)}</td><td>{j.Runs}</td><td>{j.Failures}</td></tr>");
        }

        html.Append("</table></div>");
        var query = $"group={U(group ?? "")}&name={U(name ?? "")}&state={U(state ?? "")}";
        if (s > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"/jobs?{query}&skip={Math.Max(0, s - t)}\">← previous</a> ");
        }

        if (jobs.HasMore)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a href=\"/jobs?{query}&skip={s + t}\">next →</a>");
        }

        return Layout.Page($"Jobs ({jobs.Total ?? jobs.Items.Count})", html.ToString(), page);
    }
}
