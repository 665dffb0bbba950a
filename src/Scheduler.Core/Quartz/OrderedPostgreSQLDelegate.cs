using System.Diagnostics.CodeAnalysis;
using Quartz.Impl.AdoJobStore;

namespace Scheduler.Core.Quartz;

/// <summary>
/// Quartz's PostgreSQL delegate, with one change: the acquisition statement orders its candidates by the trigger's key after
/// Quartz's own order (fire time, then priority), so every node claims the triggers it contends for in the same order.
/// </summary>
/// <remarks>
/// <para>
/// A firing round that takes no <c>TRIGGER_ACCESS</c> lock claims its candidates with one <c>UPDATE</c> each, in candidate
/// order, holding each claimed row until the round commits. Quartz orders the candidates by <c>NEXT_FIRE_TIME, PRIORITY</c>
/// only, so triggers due at the same instant with the same priority — every trigger of a top-of-the-minute herd — come back
/// in whatever order each node's plan reads them. Two nodes that claim two such rows in opposite orders wait on each other:
/// PostgreSQL breaks the cycle by aborting one round (<c>deadlock detected</c>), and Quartz retries it a second later, so
/// those fires start a second or two late. With the key as the last sort column every node claims in one total order,
/// and a node that reaches a row another holds waits for it instead of closing a cycle.
/// </para>
/// <para>
/// The primary key index already holds the key; the extra sort columns break ties only, so the plan still walks the
/// acquisition index (<c>IDX_QRTZ_T_NFT_ST</c>) and sorts the few rows of one fire time incrementally.
/// </para>
/// </remarks>
[SuppressMessage("Naming", "CA1711", Justification = "Quartz calls a dialect a driver delegate; this one extends its PostgreSQLDelegate.")]
public class OrderedPostgreSQLDelegate : PostgreSQLDelegate
{
    /// <summary>What Quartz's acquisition statement orders by, which this delegate extends.</summary>
    public const string QuartzOrder = "NEXT_FIRE_TIME ASC, PRIORITY DESC";

    /// <summary>The order this delegate's acquisition statement uses: Quartz's, then the trigger's key.</summary>
    public const string TotalOrder = QuartzOrder + ", t.TRIGGER_NAME ASC, t.TRIGGER_GROUP ASC";

    /// <inheritdoc />
    protected override string GetSelectNextTriggerToAcquireSql(TriggerAcquisitionSqlShape shape)
    {
        var sql = base.GetSelectNextTriggerToAcquireSql(shape);
        var at = sql.LastIndexOf(QuartzOrder, StringComparison.Ordinal);
        if (at < 0 || sql.IndexOf(QuartzOrder, StringComparison.Ordinal) != at)
        {
            // A Quartz whose statement no longer reads as this delegate expects: refuse to start rather than guess.
            throw new InvalidOperationException(
                $"Quartz's trigger acquisition statement does not order by '{QuartzOrder}' exactly once; {nameof(OrderedPostgreSQLDelegate)} " +
                "needs updating for this Quartz version. Statement: " + sql);
        }

        return string.Concat(sql.AsSpan(0, at), TotalOrder, sql.AsSpan(at + QuartzOrder.Length));
    }
}
