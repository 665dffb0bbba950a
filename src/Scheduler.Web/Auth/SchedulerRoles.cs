namespace Scheduler.Web.Auth;

/// <summary>The two roles an API key can have, and the authorization policies named after them.</summary>
public static class SchedulerRoles
{
    /// <summary>Reads everything; changes nothing.</summary>
    public const string Viewer = "viewer";

    /// <summary>Reads everything and takes actions (trigger, pause, resume, reset, interrupt, replay).</summary>
    public const string Operator = Scheduler.Core.Operations.OperatorActionCatalog.OperatorRole;

    public static bool IsKnown(string? role) => role is Viewer or Operator;
}
