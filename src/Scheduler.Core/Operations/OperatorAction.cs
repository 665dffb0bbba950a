namespace Scheduler.Core.Operations;

/// <summary>
/// One action of the operator surface, as every surface shows it: the API maps <c>POST /api{Route}</c>, the dashboard posts
/// its forms to <see cref="Route"/>, the CLI offers it as <see cref="CliVerb"/>, and the audit records it as <see cref="Name"/>.
/// All of them are listed once, in <see cref="OperatorActionCatalog"/>.
/// </summary>
/// <param name="Kind">Which action; its kebab-case form is <see cref="Name"/>.</param>
/// <param name="Route">The path under <c>/api</c> and the dashboard, with <see cref="Target"/>'s route values (<c>/jobs/{group}/{name}/pause</c>).</param>
/// <param name="Target">What it acts on, which says the values that name it.</param>
/// <param name="Role">The role an actor needs (<see cref="OperatorActionCatalog.OperatorRole"/>).</param>
/// <param name="Destructive">
/// True when it stops the cluster, cancels work or runs an occurrence's effects again: the dashboard asks for a reason and a
/// confirmation, and refuses the action without them. Resuming is not: it is what an operator reaches for in an incident.
/// </param>
/// <param name="Summary">One line for help texts and buttons' titles.</param>
/// <param name="CliVerb">The <c>scheduler</c> verb that runs it, or null when only the API and the dashboard offer it.</param>
/// <param name="TakesData">True when job data for one run may be passed (<c>trigger</c>).</param>
public sealed record OperatorAction(
    OperatorActionKind Kind, string Route, ActionTarget Target, string Role, bool Destructive, string Summary, string? CliVerb = null, bool TakesData = false)
{
    /// <summary>The audit's <c>action</c>: <see cref="Kind"/> in kebab case (<c>pause-job</c>).</summary>
    public string Name { get; } = string.Concat(Kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    /// <summary>The route values <see cref="Route"/> carries, in order (<c>group</c>, <c>name</c>).</summary>
    public IReadOnlyList<string> RouteValues { get; } =
        [.. Route.Split('/').Where(s => s.StartsWith('{') && s.EndsWith('}')).Select(s => s[1..^1])];
}
