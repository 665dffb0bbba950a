using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Scheduler.Core.Operations;
using Scheduler.Data.Operations;

namespace Scheduler.Web.Api;

/// <summary>The read endpoints under <c>/api/</c>: nodes, jobs, triggers, running firings, history, statistics, audit.</summary>
public static class ReadEndpoints
{
    public static RouteGroupBuilder MapReadEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/nodes", (OperatorQueries q, CancellationToken ct) => q.NodesAsync(ct));
        api.MapGet("/running", (OperatorQueries q, string? node, CancellationToken ct) =>
            q.RunningAsync(null, Input.OptionalName("node", node), ct));
        api.MapGet("/jobs", (OperatorQueries q, string? group, string? name, string? state, int? skip, int? take, CancellationToken ct) =>
        {
            var (s, t) = Input.Paging(skip, take);
            return q.JobsAsync(new JobFilter(Input.OptionalName("group", group), Input.OptionalName("name", name), Input.State(state), s, t), ct);
        });
        api.MapGet("/jobs/{group}/{name}", (OperatorQueries q, string group, string name, CancellationToken ct) =>
            q.JobAsync(Input.Job(group, name), ct));
        api.MapGet("/jobs/{group}/{name}/statistics", (OperatorQueries q, string group, string name, string? window, CancellationToken ct) =>
            q.StatisticsAsync(Input.Job(group, name), Input.Window("window", window, TimeSpan.FromHours(24)), ct));
        api.MapGet("/triggers", (OperatorQueries q, string? group, string? name, string? state, string? jobGroup, string? jobName,
            int? skip, int? take, CancellationToken ct) =>
        {
            var (s, t) = Input.Paging(skip, take);
            var job = jobName is null ? null : Input.Job(jobGroup ?? "", jobName);
            return q.TriggersAsync(
                new TriggerFilter(Input.OptionalName("group", group), Input.OptionalName("name", name), Input.State(state), job, s, t), ct);
        });
        api.MapGet("/executions", (OperatorQueries q, string? group, string? job, string? outcome, string? node, string? from, string? to,
            int? skip, int? take, CancellationToken ct) =>
        {
            var (s, t) = Input.Paging(skip, take);
            var key = job is null ? null : Input.Job(group ?? "", job);
            var (since, before) = (Input.Instant("from", from), Input.Instant("to", to));
            if (since >= before)
            {
                throw OperatorException.Invalid("'from' must be before 'to'.");
            }

            return q.ExecutionsAsync(new ExecutionFilter(key, Input.Outcomes(outcome), Input.OptionalName("node", node), since, before, s, t), ct);
        });
        api.MapGet("/executions/{entryId}", (OperatorQueries q, string entryId, CancellationToken ct) =>
            q.ExecutionAsync(Input.Name("entryId", entryId), ct));
        api.MapGet("/misfires", (OperatorQueries q, string? group, string? job, int? skip, int? take, CancellationToken ct) =>
        {
            var (s, t) = Input.Paging(skip, take);
            return q.MisfiresAsync(job is null ? null : Input.Job(group ?? "", job), s, t, ct);
        });
        api.MapGet("/occurrences", (OperatorQueries q, string? state, string? group, string? job, string? since, int? skip, int? take,
            CancellationToken ct) =>
        {
            var (s, t) = Input.Paging(skip, take);
            if (state is not (null or "claimed" or "completed" or "failed" or "retrying" or "dead"))
            {
                throw OperatorException.Invalid("'state' must be claimed, completed, failed, retrying or dead.");
            }

            return q.OccurrencesAsync(state, job is null ? null : Input.Job(group ?? "", job), s, t, ct, Input.Instant("since", since));
        });
        api.MapGet("/audit", (AuditLog audit, string? target, string? actor, string? since, int? skip, int? take, CancellationToken ct) =>
        {
            var (s, t) = Input.Paging(skip, take);
            return audit.QueryAsync(Input.OptionalName("target", target), Input.OptionalName("actor", actor), Input.Instant("since", since), s, t, ct);
        });
        api.MapGet("/cron", (string? expression, string? timeZone, int? count) => CronPreview.Next(expression, timeZone, count ?? 5));
        return api;
    }
}
