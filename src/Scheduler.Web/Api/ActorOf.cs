using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Scheduler.Core.Operations;

namespace Scheduler.Web.Api;

/// <summary>The audited identity behind a request: the API key's name and role, and the client address.</summary>
public static class ActorOf
{
    public static Actor Request(HttpContext context) => new(
        context.User.Identity?.Name ?? "anonymous",
        context.User.FindFirstValue(ClaimTypes.Role) ?? "none",
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}
