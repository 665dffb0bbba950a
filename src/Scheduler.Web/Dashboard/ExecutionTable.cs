using System.Globalization;
using System.Text;
using Scheduler.Core.Operations;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary>A table of executions, each linking to its detail page (with the captured log).</summary>
internal static class ExecutionTable
{
    public static string Render(IReadOnlyList<ExecutionView> executions, string id = "executions")
    {
        if (executions.Count == 0)
        {
            return $"<p id=\"{id}-none\">No executions.</p>";
        }

        var html = new StringBuilder($"<div class=\"scroll\"><table id=\"{id}\"><tr><th>Fired (UTC)</th><th>Job</th><th>Result</th><th>Duration</th><th>Node</th><th>Error / summary</th></tr>");
        foreach (var e in executions)
        {
            var when = e.EntryId is null ? Time(e.FiredAtUtc) : $"<a href=\"/executions/{U(e.EntryId)}\">{Time(e.FiredAtUtc)}</a>";
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"execution\"><td>{when}</td><td>{JobLink(e.JobGroup, e.JobName)}</td><td>{Badge(e.Result)}</td><td>{Ms(e.DurationMs)}</td><td>{E(e.Node)}</td><td>{E(e.Error ?? e.Summary)}</td></tr>");
        }

        return html.Append("</table></div>").ToString();
    }

    /// <summary>An SVG bar per execution, oldest left: height is the duration, colour the outcome.</summary>
    public static string Chart(IReadOnlyList<ExecutionView> executions)
    {
        if (executions.Count == 0)
        {
            return "";
        }

        var ordered = executions.Reverse().ToList();
        var max = Math.Max(1, ordered.Max(e => e.DurationMs));
        const int width = 600, height = 120;
        var bar = (double)width / ordered.Count;
        var svg = new StringBuilder($"<svg id=\"duration-chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Duration and outcome of recent executions\">");
        for (var i = 0; i < ordered.Count; i++)
        {
            var e = ordered[i];
            var h = Math.Max(2, e.DurationMs / max * (height - 10));
            var colour = e.Result switch { "failed" => "#cf222e", "cancelled" => "#bf8700", "skipped" => "#8c959f", _ => "#2da44e" };
            svg.Append(System.FormattableString.Invariant(
                $"<rect x=\"{i * bar + 1:0.#}\" y=\"{height - h:0.#}\" width=\"{Math.Max(1, bar - 2):0.#}\" height=\"{h:0.#}\" fill=\"{colour}\"><title>{E(e.Result)} {e.DurationMs} ms</title></rect>"));
        }

        return svg.Append("</svg>").ToString();
    }
}
