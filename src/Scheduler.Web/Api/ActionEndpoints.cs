using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scheduler.Core.Operations;

namespace Scheduler.Web.Api;

/// <summary>
/// The actions under <c>/api/</c>, one <c>POST</c> per entry of <see cref="OperatorActionCatalog"/> at its route, each requiring
/// the entry's role and audited: trigger, pause, resume, reset, interrupt, replay (one, or a job's dead letters), and
/// pause/resume of the whole scheduler. Each endpoint carries its <see cref="OperatorAction"/> as metadata.
/// </summary>
public static class ActionEndpoints
{
    public static RouteGroupBuilder MapActionEndpoints(this RouteGroupBuilder api)
    {
        foreach (var action in OperatorActionCatalog.All)
        {
            var endpoint = action.Kind switch
            {
                OperatorActionKind.Trigger => api.MapPost(action.Route, TriggerAsync),
                OperatorActionKind.Replay => api.MapPost(action.Route, ReplayAsync),
                OperatorActionKind.ReplayDeadLetters => api.MapPost(action.Route, ReplayDeadLettersAsync),
                // The rest take their target from the route and an optional reason from the body: 204 when done.
                _ => api.MapPost(action.Route, (OperatorActions a, HttpContext http, ActionRequest? body, CancellationToken ct) =>
                    RunAsync(a, action, http, body?.Reason, ct)),
            };
            endpoint.RequireAuthorization(action.Role).WithName(action.Name).WithMetadata(action);
        }

        return api;
    }

    private static async Task<IResult> RunAsync(OperatorActions a, OperatorAction action, HttpContext http, string? reason, CancellationToken ct)
    {
        var arguments = ActionArguments.Parse(action, name => name == "reason" ? reason : http.GetRouteValue(name)?.ToString());
        await a.RunAsync(action, ActorOf.Request(http), arguments, ct);
        return Results.NoContent();
    }

    private static async Task<IResult> TriggerAsync(
        OperatorActions a, HttpContext http, string group, string name, TriggerNowRequest? body, CancellationToken ct)
    {
        var job = Input.Job(group, name);
        await a.TriggerAsync(ActorOf.Request(http), job, Input.Data(body?.Data), Input.Reason(body?.Reason), ct);
        return Results.Accepted(value: new { job = new { group, name }, status = "triggered" });
    }

    private static async Task<IResult> ReplayAsync(OperatorActions a, HttpContext http, ReplayRequest? body, CancellationToken ct)
    {
        if (body?.ScheduledFireTime is not { } at)
        {
            throw OperatorException.Invalid("'scheduledFireTime' is required (as GET /api/occurrences lists it).");
        }

        var occurrence = new OccurrenceRef(Input.Job(body.JobGroup ?? "", body.JobName ?? ""),
            Input.Trigger(body.TriggerGroup ?? "", body.TriggerName ?? ""), at);
        var replay = await a.ReplayAsync(ActorOf.Request(http), occurrence, Input.Reason(body.Reason), ct);
        return Results.Accepted(value: new { replayTrigger = new { group = replay.Group, name = replay.Name }, status = "scheduled" });
    }

    private static async Task<IResult> ReplayDeadLettersAsync(OperatorActions a, HttpContext http, BulkReplayRequest? body, CancellationToken ct)
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
                triggerGroup = o.Trigger.Group,
                triggerName = o.Trigger.Name,
                scheduledFireTime = o.ScheduledFireTime,
            }),
            status = "scheduled",
        });
    }
}
