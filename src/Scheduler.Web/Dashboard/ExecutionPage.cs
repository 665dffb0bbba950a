using Scheduler.Core.Operations;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary><c>/executions/{entryId}</c>: one execution, with the log its job wrote while it ran.</summary>
internal static class ExecutionPage
{
    public static async Task<string> RenderAsync(OperatorQueries q, string entryId, PageContext page, CancellationToken ct)
    {
        var e = await q.ExecutionAsync(entryId, ct);
        var body = $"""
            <div class="scroll"><table>
              <tr><th>Job</th><td>{JobLink(e.JobGroup, e.JobName)}</td></tr>
              <tr><th>Trigger</th><td>{E(e.TriggerGroup)}.{E(e.TriggerName)}{(e.Manual ? " (manual)" : "")}</td></tr>
              <tr><th>Result</th><td>{Badge(e.Result)} {(e.RetryScheduled ? "retry scheduled" : "")} attempt {e.RetryAttempt}</td></tr>
              <tr><th>Fired</th><td>{Time(e.FiredAtUtc)} on {E(e.Node)}</td></tr>
              <tr><th>Duration</th><td>{Ms(e.DurationMs)}</td></tr>
              <tr><th>Error</th><td>{E(e.Error)}</td></tr>
              <tr><th>Summary</th><td>{E(e.Summary)}</td></tr>
            </table></div>
            <h2>Captured log</h2><pre id="execution-log">{(string.IsNullOrEmpty(e.Log) ? "Nothing was captured." : E(e.Log))}</pre>
            """;
        return Layout.Page("Execution", body, page, refresh: false);
    }
}
