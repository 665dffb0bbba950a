using Scheduler.Data.Operations;
using Scheduler.Core.Operations;

namespace Scheduler.Web.Dashboard.Pages;

/// <summary>What <see cref="AuditPage"/> shows: one page of operator actions, newest first, and the filters that chose them.</summary>
public sealed record AuditModel(IReadOnlyList<AuditEntry> Rows, bool HasMore, int Skip, string? Target, string? Actor, string? Since)
{
    public const int PageSize = 100;

    public IReadOnlyList<KeyValuePair<string, string?>> Filters => [new("target", Target), new("actor", Actor), new("since", Since)];

    /// <exception cref="Core.Operations.OperatorException">A filter is not acceptable (Invalid).</exception>
    public static async Task<AuditModel> LoadAsync(AuditLog audit, string? target, string? actor, string? since, int? skip, CancellationToken ct)
    {
        var from = Input.Instant("since", since);
        var s = Input.Paging(skip, PageSize).Skip;
        // One row more than a page says whether an older page exists.
        var rows = await audit.QueryAsync(Input.OptionalName("target", target), Input.OptionalName("actor", actor), from, s, PageSize + 1, ct);
        return new AuditModel(rows.Take(PageSize).ToList(), rows.Count > PageSize, s, target, actor, since);
    }
}
