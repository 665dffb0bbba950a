using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scheduler.Core.Operations;
using Scheduler.Web.Auth;

namespace Scheduler.Web.Api;

/// <summary>
/// The actions under <c>/api/</c>, operator role only, each audited: trigger, pause, resume, reset, interrupt, replay (one,
/// or a job's dead letters), and pause/resume of the whole scheduler (<c>POST /api/scheduler/pause</c>, <c>/resume</c>).
/// </summary>
public static class ActionEndpoints
{
    public static RouteGroupBuilder MapActionEndpoints(this RouteGroupBuilder api)
    {
        var actions = api.MapGroup("").RequireAuthorization(SchedulerRoles.Operator);
        actions.MapPost("/jobs/{group}/{name}/trigger", async (OperatorActions a, HttpContext http, string group, string name,
            TriggerNowRequest? body, CancellationToken ct) =>
        {
            var job = Input.Job(group, name);
            await a.TriggerAsync(ActorOf.Request(http), job, Input.Data(body?.Data), Input.Reason(body?.Reason), ct);
            return Results.Accepted(value: new { job = new { group, name }, status = "triggered" });
        });
        actions.MapPost("/jobs/{group}/{name}/pause", (OperatorActions a, HttpContext http, string group, string name, ActionRequest? body,
            CancellationToken ct) => Done(a.PauseJobAsync(ActorOf.Request(http), Input.Job(group, name), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/jobs/{group}/{name}/resume", (OperatorActions a, HttpContext http, string group, string name, ActionRequest? body,
            CancellationToken ct) => Done(a.ResumeJobAsync(ActorOf.Request(http), Input.Job(group, name), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/triggers/{group}/{name}/pause", (OperatorActions a, HttpContext http, string group, string name, ActionRequest? body,
            CancellationToken ct) => Done(a.PauseTriggerAsync(ActorOf.Request(http), Input.Trigger(group, name), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/triggers/{group}/{name}/resume", (OperatorActions a, HttpContext http, string group, string name, ActionRequest? body,
            CancellationToken ct) => Done(a.ResumeTriggerAsync(ActorOf.Request(http), Input.Trigger(group, name), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/triggers/{group}/{name}/reset", (OperatorActions a, HttpContext http, string group, string name, ActionRequest? body,
            CancellationToken ct) => Done(a.ResetTriggerAsync(ActorOf.Request(http), Input.Trigger(group, name), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/trigger-groups/{group}/pause", (OperatorActions a, HttpContext http, string group, ActionRequest? body,
            CancellationToken ct) => Done(a.PauseGroupAsync(ActorOf.Request(http), Input.Name("group", group), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/trigger-groups/{group}/resume", (OperatorActions a, HttpContext http, string group, ActionRequest? body,
            CancellationToken ct) => Done(a.ResumeGroupAsync(ActorOf.Request(http), Input.Name("group", group), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/scheduler/pause", (OperatorActions a, HttpContext http, ActionRequest? body, CancellationToken ct) =>
            Done(a.PauseAllAsync(ActorOf.Request(http), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/scheduler/resume", (OperatorActions a, HttpContext http, ActionRequest? body, CancellationToken ct) =>
            Done(a.ResumeAllAsync(ActorOf.Request(http), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/fire-instances/{id}/interrupt", (OperatorActions a, HttpContext http, string id, ActionRequest? body,
            CancellationToken ct) => Done(a.InterruptAsync(ActorOf.Request(http), Input.Name("id", id), Input.Reason(body?.Reason), ct)));
        actions.MapPost("/occurrences/replay", async (OperatorActions a, HttpContext http, ReplayRequest? body, CancellationToken ct) =>
        {
            if (body?.ScheduledFireTime is not { } at)
            {
                throw OperatorException.Invalid("'scheduledFireTime' is required (as GET /api/occurrences lists it).");
            }

            var occurrence = new OccurrenceRef(Input.Job(body.JobGroup ?? "", body.JobName ?? ""),
                Input.Trigger(body.TriggerGroup ?? "", body.TriggerName ?? ""), at);
            var replay = await a.ReplayAsync(ActorOf.Request(http), occurrence, Input.Reason(body.Reason), ct);
            return Results.Accepted(value: new { replayTrigger = new { group = replay.Group, name = replay.Name }, status = "scheduled" });
        });
        actions.MapPost("/occurrences/replay/bulk", async (OperatorActions a, HttpContext http, BulkReplayRequest? body, CancellationToken ct) =>
        {
            if (body?.From is not { } from || body.To is not { } to)
            {
                throw OperatorException.Invalid("'from' and 'to' are required: the dead letters scheduled in [from, to) are replayed.");
            }

            var replayed = await a.ReplayDeadLettersAsync(ActorOf.Request(http), Input.Job(body.JobGroup ?? "", body.JobName ?? ""), from, to,
                Input.Reason(body.Reason), ct);
            return Results.Accepted(value: new
            {
                replayed = replayed.Count,
                occurrences = replayed.Select(o => new
                {
                    triggerGroup = o.Trigger.Group, triggerName = o.Trigger.Name, scheduledFireTime = o.ScheduledFireTime,
                }),
                status = "scheduled",
            });
        });
        return api;
    }

    private static async Task<IResult> Done(Task action)
    {
        await action;
        return Results.NoContent();
    }
}
