namespace Scheduler.Web.Dashboard;

/// <summary>
/// What every page needs to know about the request: who, with which role, the antiforgery token, the notice of the last
/// action, the time the page is rendered at (for "3 min ago") and its path (for the navigation).
/// </summary>
public sealed record PageContext(string? User, string? Role, string Token, string? Notice, DateTimeOffset Now, string Path)
{
    public bool IsOperator => Role == Auth.SchedulerRoles.Operator;
}
