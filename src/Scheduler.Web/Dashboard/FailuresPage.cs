using System.Globalization;
using System.Text;
using Quartz;
using Scheduler.Core.Operations;
using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary>
/// <c>/failures</c>: failed executions of the last 24 hours, triggers in ERROR (with why), dead letters and failed occurrences
/// to replay (one, or a job's dead letters in a time range), misfires.
/// </summary>
internal static class FailuresPage
{
    public static async Task<string> RenderAsync(OperatorQueries q, TimeProvider clock, PageContext page, CancellationToken ct)
    {
        var since = clock.GetUtcNow().AddHours(-24);
        var failed = await q.ExecutionsAsync(new ExecutionFilter(null, [JobRunResult.Failed], null, since, null, 0, 100), ct);
        var errors = await q.TriggersAsync(new TriggerFilter(null, null, TriggerState.Error, null, 0, 100), ct);
        var occurrences = await q.OccurrencesAsync("failed", null, 0, 50, ct);
        var dead = await q.OccurrencesAsync("dead", null, 0, 50, ct);
        var misfires = await q.MisfiresAsync(null, 0, 20, ct);
        var html = new StringBuilder("<h2>Failed executions, last 24 hours</h2>").Append(ExecutionTable.Render(failed.Items, "failed-executions"));
        html.Append("<h2>Triggers in ERROR</h2>");
        html.Append(errors.Items.Count == 0 ? "<p>None.</p>" : "<div class=\"scroll\"><table id=\"triggers-in-error\"><tr><th>Trigger</th><th>Job</th><th>Why</th><th></th></tr>");
        foreach (var t in errors.Items)
        {
            var reset = page.IsOperator ? ActionForm($"/triggers/{U(t.Group)}/{U(t.Name)}/reset", "Reset", page.Token) : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{E(t.Group)}.{E(t.Name)}</td><td>{JobLink(t.JobGroup, t.JobName)}</td><td>{E(t.ErrorCause ?? "not recorded")}</td><td>{reset}</td></tr>");
        }

        html.Append(errors.Items.Count == 0 ? "" : "</table></div>");
        html.Append(DeadLetters(dead, page));
        html.Append("<h2>Failed occurrences</h2>");
        html.Append(occurrences.Count == 0 ? "<p>None.</p>" : "<div class=\"scroll\"><table id=\"failed-occurrences\"><tr><th>Scheduled (UTC)</th><th>Job</th><th>Trigger</th><th>Attempts</th><th></th></tr>");
        foreach (var o in occurrences)
        {
            var replay = page.IsOperator ? ReplayForm(o.JobGroup, o.JobName, o.TriggerGroup, o.TriggerName, o.ScheduledFireTime, page.Token) : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(o.ScheduledFireTime)}</td><td>{JobLink(o.JobGroup, o.JobName)}</td><td>{E(o.TriggerGroup)}.{E(o.TriggerName)}</td><td>{o.Attempts}</td><td>{replay}</td></tr>");
        }

        html.Append(occurrences.Count == 0 ? "" : "</table></div>").Append("<h2>Recent misfires</h2>");
        html.Append(misfires.Items.Count == 0 ? "<p>None.</p>" : "<div class=\"scroll\"><table><tr><th>Scheduled (UTC)</th><th>Trigger</th><th>Reason</th><th>Noticed by</th></tr>");
        foreach (var m in misfires.Items)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Time(m.ScheduledFireUtc)}</td><td>{E(m.TriggerGroup)}.{E(m.TriggerName)}</td><td>{E(m.Reason)}</td><td>{E(m.Node)}</td></tr>");
        }

        html.Append(misfires.Items.Count == 0 ? "" : "</table></div>");
        return Layout.Page("Failures", html.ToString(), page);
    }

    private static string DeadLetters(IReadOnlyList<Scheduler.Data.Operations.OccurrenceRecord> dead, PageContext page)
    {
        var html = new StringBuilder("<h2>Dead letters</h2>");
        html.Append(dead.Count == 0 ? "<p>None.</p>"
            : "<div class=\"scroll\"><table id=\"dead-letters\"><tr><th>Scheduled (UTC)</th><th>Job</th><th>Trigger</th><th>Attempts</th><th>Last error</th><th></th></tr>");
        foreach (var o in dead)
        {
            var replay = page.IsOperator ? ReplayForm(o.JobGroup, o.JobName, o.TriggerGroup, o.TriggerName, o.ScheduledFireTime, page.Token) : "";
            var log = string.IsNullOrEmpty(o.Log) ? "" : $"<details><summary>log</summary><pre>{E(o.Log)}</pre></details>";
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{Time(o.ScheduledFireTime)}</td><td>{JobLink(o.JobGroup, o.JobName)}</td><td>{E(o.TriggerGroup)}.{E(o.TriggerName)}</td><td>{o.Attempts}</td><td>{E(o.LastError)}{log}</td><td>{replay}</td></tr>");
        }

        html.Append(dead.Count == 0 ? "" : "</table></div>");
        if (page.IsOperator && dead.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"""
                <form method="post" action="/occurrences/replay/bulk" class="inline" id="replay-dead-letters">
                  <input type="hidden" name="__RequestVerificationToken" value="{E(page.Token)}">
                  <input type="text" name="job" placeholder="group.name" maxlength="401" required>
                  <input type="text" name="from" placeholder="from (ISO 8601)" required>
                  <input type="text" name="to" placeholder="to (ISO 8601)" required>
                  <input type="text" name="reason" placeholder="reason" maxlength="500">
                  <button type="submit">Replay a job's dead letters</button>
                </form>
                """);
        }

        return html.ToString();
    }

    private static string ReplayForm(string jobGroup, string jobName, string triggerGroup, string triggerName, DateTimeOffset at, string token) => $"""
        <form method="post" action="/occurrences/replay" class="inline">
          <input type="hidden" name="__RequestVerificationToken" value="{E(token)}">
          <input type="hidden" name="jobGroup" value="{E(jobGroup)}"><input type="hidden" name="jobName" value="{E(jobName)}">
          <input type="hidden" name="triggerGroup" value="{E(triggerGroup)}"><input type="hidden" name="triggerName" value="{E(triggerName)}">
          <input type="hidden" name="scheduledFireTime" value="{at.UtcDateTime:o}">
          <button type="submit">Replay</button>
        </form>
        """;
}
