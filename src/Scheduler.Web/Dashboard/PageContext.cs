namespace Scheduler.Web.Dashboard;

/// <summary>What every page needs to know about the request: who, with which role, the antiforgery token, and a notice.</summary>
internal sealed record PageContext(string? User, string? Role, string Token, string? Notice)
{
    public bool IsOperator => Role == Auth.SchedulerRoles.Operator;
}
