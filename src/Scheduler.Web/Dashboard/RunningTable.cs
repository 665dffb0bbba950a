using System.Globalization;
using System.Text;
using Scheduler.Core.Operations;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary>Firings running now, with the progress their jobs report, and an interrupt button for operators.</summary>
internal static class RunningTable
{
    public static string Render(IReadOnlyList<FireInstanceView> running, PageContext page)
    {
        if (running.Count == 0)
        {
            return "<p>Nothing is running.</p>";
        }

        var html = new StringBuilder("<div class=\"scroll\"><table><tr><th>Job</th><th>Node</th><th>Started</th><th>Progress</th><th></th></tr>");
        foreach (var f in running)
        {
            var progress = f.Progress is { } p ? $"<progress max=\"100\" value=\"{p}\">{p}%</progress> {p}% {E(f.ProgressMessage)}" : "—";
            var job = f.JobGroup is null ? E(f.TriggerName) : JobLink(f.JobGroup, f.JobName ?? "");
            var interrupt = page.IsOperator ? ActionForm($"/fire-instances/{U(f.FireInstanceId)}/interrupt", "Interrupt", page.Token, css: "danger") : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{job}</td><td>{E(f.Node)}</td><td>{Time(f.FiredAtUtc)}</td><td>{progress}</td><td>{interrupt}</td></tr>");
        }

        return html.Append("</table></div>").ToString();
    }
}
