using System.Text.RegularExpressions;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary>The dashboard's audit page pages and filters, so a burst of rows never hides older actions.</summary>
public sealed partial class AuditPageTests
{
    [Fact]
    public async Task The_audit_page_shows_a_hundred_rows_a_page_with_older_and_newer_links_and_filters_by_actor()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("audit_page");
        await db.ExecuteAsync(
            """
            INSERT INTO scheduler_audit (actor, role, action, target, source, node, outcome)
            SELECT CASE WHEN g <= 30 THEN 'alice' ELSE 'bob' END, 'operator', 'pause-job', 'config.job-' || g, '10.0.0.1', 'n', 'ok'
            FROM generate_series(1, 150) g
            """);
        await using var node = await WebNode.StartAsync(db, "audit-node");
        using var session = await DashboardSession.SignInAsync(node, WebNode.ViewerKey);

        var first = await session.PageAsync("/audit");
        var second = await session.PageAsync("/audit?skip=100");
        var alice = await session.PageAsync("/audit?actor=alice");

        // The sign-in itself is one more row: 151 in all, newest first.
        Assert.Equal(100, Rows(first));
        Assert.Contains("id=\"audit-older\"", first, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"audit-newer\"", first, StringComparison.Ordinal);
        Assert.Equal(51, Rows(second));
        Assert.Contains(">config.job-1<", second, StringComparison.Ordinal);
        Assert.Contains("id=\"audit-newer\"", second, StringComparison.Ordinal);
        Assert.Equal(30, Rows(alice));
        Assert.DoesNotContain("bob", alice, StringComparison.Ordinal);
    }

    private static int Rows(string html) => RowPattern().Count(html);

    [GeneratedRegex("<tr class=\"audit-row")]
    private static partial Regex RowPattern();
}
