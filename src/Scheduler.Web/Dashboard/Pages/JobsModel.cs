using Scheduler.Core.Operations;

namespace Scheduler.Web.Dashboard.Pages;

/// <summary>What <see cref="JobsPage"/> shows: one page of jobs and the filters that chose them.</summary>
public sealed record JobsModel(Page<JobSummary> Jobs, string? Group, string? Name, string? State)
{
    public const int PageSize = 50;

    /// <summary>The filters, for the paging links.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> Filters => [new("group", Group), new("name", Name), new("state", State)];

    /// <exception cref="OperatorException">A filter is not acceptable (Invalid).</exception>
    public static async Task<JobsModel> LoadAsync(OperatorQueries q, string? group, string? name, string? state, int? skip, CancellationToken ct)
    {
        var (s, t) = Input.Paging(skip, PageSize);
        var jobs = await q.JobsAsync(new JobFilter(Input.OptionalName("group", group), Input.OptionalName("name", name), Input.State(state), s, t), ct);
        return new JobsModel(jobs, group, name, state);
    }
}
