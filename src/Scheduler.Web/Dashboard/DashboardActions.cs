using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scheduler.Core.Operations;
using Scheduler.Web.Api;
using Scheduler.Web.Auth;

namespace Scheduler.Web.Dashboard;

/// <summary>
/// The dashboard's action forms: operator role, antiforgery token checked, audited (by <see cref="OperatorActions"/>), then back
/// to the page with a notice. Destructive ones also need a reason and a confirmation.
/// </summary>
internal static class DashboardActions
{
    private delegate Task<string> Act(OperatorActions actions, Actor actor, IFormCollection form, RouteValueDictionary route, CancellationToken ct);

    public static void MapDashboardActions(this IEndpointRouteBuilder endpoints)
    {
        var forms = endpoints.MapGroup("").RequireAuthorization(SchedulerRoles.Operator);
        Map(forms, "/jobs/{group}/{name}/trigger", async (a, who, form, r, ct) =>
        {
            await a.TriggerAsync(who, Job(r), null, Input.Reason(form["reason"]), ct);
            return $"Triggered {Job(r)}.";
        });
        Map(forms, "/jobs/{group}/{name}/pause", async (a, who, form, r, ct) =>
        {
            await a.PauseJobAsync(who, Job(r), Input.Reason(form["reason"]), ct);
            return $"Paused {Job(r)}.";
        });
        Map(forms, "/jobs/{group}/{name}/resume", async (a, who, form, r, ct) =>
        {
            await a.ResumeJobAsync(who, Job(r), Input.Reason(form["reason"]), ct);
            return $"Resumed {Job(r)}.";
        });
        Map(forms, "/triggers/{group}/{name}/pause", async (a, who, form, r, ct) =>
        {
            await a.PauseTriggerAsync(who, Trigger(r), Input.Reason(form["reason"]), ct);
            return $"Paused trigger {Trigger(r)}.";
        });
        Map(forms, "/triggers/{group}/{name}/resume", async (a, who, form, r, ct) =>
        {
            await a.ResumeTriggerAsync(who, Trigger(r), Input.Reason(form["reason"]), ct);
            return $"Resumed trigger {Trigger(r)}.";
        });
        Map(forms, "/triggers/{group}/{name}/reset", async (a, who, form, r, ct) =>
        {
            await a.ResetTriggerAsync(who, Trigger(r), Input.Reason(form["reason"]), ct);
            return $"Reset trigger {Trigger(r)} from ERROR.";
        });
        Map(forms, "/scheduler/pause", destructive: true, act: async (a, who, form, r, ct) =>
        {
            await a.PauseAllAsync(who, Input.Reason(form["reason"]), ct);
            return "Paused every trigger of the cluster; nothing fires until Resume all.";
        });
        Map(forms, "/scheduler/resume", async (a, who, form, r, ct) =>
        {
            await a.ResumeAllAsync(who, Input.Reason(form["reason"]), ct);
            return "Resumed every trigger.";
        });
        Map(forms, "/fire-instances/{id}/interrupt", destructive: true, act: async (a, who, form, r, ct) =>
        {
            await a.InterruptAsync(who, Input.Name("id", r["id"]?.ToString()), Input.Reason(form["reason"]), ct);
            return "Interrupt requested.";
        });
        Map(forms, "/occurrences/replay", destructive: true, act: async (a, who, form, r, ct) =>
        {
            var at = Input.Instant("scheduledFireTime", form["scheduledFireTime"]) ?? throw OperatorException.Invalid("'scheduledFireTime' is required.");
            var occurrence = new OccurrenceRef(Input.Job(form["jobGroup"].ToString(), form["jobName"].ToString()),
                Input.Trigger(form["triggerGroup"].ToString(), form["triggerName"].ToString()), at);
            await a.ReplayAsync(who, occurrence, Input.Reason(form["reason"]), ct);
            return $"Replay of {occurrence} scheduled.";
        });
        Map(forms, "/occurrences/replay/bulk", destructive: true, act: async (a, who, form, r, ct) =>
        {
            var job = form["job"].ToString();
            var dot = job.IndexOf('.', StringComparison.Ordinal);
            var key = dot > 0 ? Input.Job(job[..dot], job[(dot + 1)..]) : Input.Job("config", job);
            var from = Input.Instant("from", form["from"]) ?? throw OperatorException.Invalid("'from' is required.");
            var to = Input.Instant("to", form["to"]) ?? throw OperatorException.Invalid("'to' is required.");
            var replayed = await a.ReplayDeadLettersAsync(who, key, from, to, Input.Reason(form["reason"]), ct);
            return $"Replay of {replayed.Count} dead letters of {key} scheduled.";
        });
    }

    private static void Map(RouteGroupBuilder forms, string pattern, Act act) => Map(forms, pattern, false, act);

    /// <summary>
    /// Maps one action. A <paramref name="destructive"/> one (it stops the cluster, cancels work, or runs an occurrence's effects
    /// again) is refused, and nothing done, unless the form carries a reason and its ticked confirmation box.
    /// </summary>
    private static void Map(RouteGroupBuilder forms, string pattern, bool destructive, Act act) =>
        forms.MapPost(pattern, async (HttpContext http, IAntiforgery af, OperatorActions actions, Microsoft.Extensions.Options.IOptions<AuthOptions> auth,
            CancellationToken ct) =>
        {
            await af.ValidateRequestAsync(http);
            var form = await http.Request.ReadFormAsync(ct);
            string notice;
            try
            {
                notice = destructive && (form["confirm"] != "yes" || string.IsNullOrWhiteSpace(form["reason"]))
                    ? "Nothing was done: this action needs a reason and its confirmation box ticked."
                    : await act(actions, ActorOf.Request(http), form, http.Request.RouteValues, ct);
            }
            catch (OperatorException e)
            {
                notice = e.Message;
            }

            http.Response.Cookies.Append(DashboardEndpoints.NoticeCookie, notice,
                new CookieOptions
                {
                    HttpOnly = true,
                    SameSite = SameSiteMode.Strict,
                    MaxAge = TimeSpan.FromMinutes(1),
                    Secure = auth.Value.CookieSecure == CookieSecurePolicy.Always || http.Request.IsHttps,
                });
            return Results.Redirect(BackTo(http), permanent: false, preserveMethod: false);
        });

    private static Quartz.JobKey Job(RouteValueDictionary r) => Input.Job(r["group"]?.ToString() ?? "", r["name"]?.ToString() ?? "");

    private static Quartz.TriggerKey Trigger(RouteValueDictionary r) => Input.Trigger(r["group"]?.ToString() ?? "", r["name"]?.ToString() ?? "");

    /// <summary>The page the form was on (same site only), so the operator sees the result where they acted.</summary>
    private static string BackTo(HttpContext http) =>
        Uri.TryCreate(http.Request.Headers.Referer.ToString(), UriKind.Absolute, out var referer)
        && string.Equals(referer.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)
            ? DashboardSignIn.Local(referer.PathAndQuery)
            : "/";
}
