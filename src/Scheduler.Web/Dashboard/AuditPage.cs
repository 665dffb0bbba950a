using System.Globalization;
using System.Text;
using Scheduler.Data.Operations;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary><c>/audit</c>: the latest operator actions, newest first.</summary>
internal static class AuditPage
{
    public static async Task<string> RenderAsync(AuditLog audit, PageContext page, CancellationToken ct)
    {
        var rows = await audit.QueryAsync(null, null, null, 0, 200, ct);
        var html = new StringBuilder("<div class=\"scroll\"><table id=\"audit\"><tr><th>When (UTC)</th><th>Who</th><th>Action</th><th>Target</th><th>Reason</th><th>From</th><th>Outcome</th></tr>");
        foreach (var a in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(a.At)}</td><td>{E(a.Actor)} ({E(a.Role)})</td><td>{E(a.Action)}</td><td>{E(a.Target)}</td><td>{E(a.Reason)}</td><td>{E(a.Source)}</td><td>{E(a.Outcome)}</td></tr>");
        }

        return Layout.Page("Audit", html.Append("</table></div>").ToString(), page);
    }
}
