using System.Globalization;
using System.Text;
using Scheduler.Data.Operations;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary><c>/audit</c>: operator actions, newest first, 100 a page, narrowed by target text and actor.</summary>
internal static class AuditPage
{
    public const int PageSize = 100;

    public static async Task<string> RenderAsync(AuditLog audit, string? target, string? actor, int skip, PageContext page, CancellationToken ct)
    {
        // One row more than a page says whether an older page exists.
        var rows = await audit.QueryAsync(target, actor, null, skip, PageSize + 1, ct);
        var html = new StringBuilder().Append(CultureInfo.InvariantCulture, $"""
            <form method="get" action="/audit" class="inline" id="audit-filter">
              <input type="text" name="target" placeholder="target contains" value="{E(target)}" maxlength="200">
              <input type="text" name="actor" placeholder="actor" value="{E(actor)}" maxlength="200">
              <button type="submit">Filter</button>
            </form>
            <div class="scroll"><table id="audit"><tr><th>When (UTC)</th><th>Who</th><th>Action</th><th>Target</th><th>Reason</th><th>From</th><th>Outcome</th></tr>
            """);
        foreach (var a in rows.Take(PageSize))
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(a.At)}</td><td>{E(a.Actor)} ({E(a.Role)})</td><td>{E(a.Action)}</td><td>{E(a.Target)}</td><td>{E(a.Reason)}</td><td>{E(a.Source)}</td><td>{E(a.Outcome)}</td></tr>");
        }

        html.Append("</table></div><p>");
        var filter = $"target={Uri.EscapeDataString(target ?? "")}&actor={Uri.EscapeDataString(actor ?? "")}";
        if (skip > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a id=\"audit-newer\" href=\"/audit?{E(filter)}&skip={Math.Max(0, skip - PageSize)}\">← newer</a> ");
        }

        if (rows.Count > PageSize)
        {
            html.Append(CultureInfo.InvariantCulture, $"<a id=\"audit-older\" href=\"/audit?{E(filter)}&skip={skip + PageSize}\">older →</a>");
        }

        return Layout.Page("Audit", html.Append("</p>").ToString(), page);
    }
}
