using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scheduler.Web.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>. A missing header is no result (the challenge then answers 401); a key that
/// matches nothing fails. Challenges and refusals answer as RFC 7807 problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, RefusalAudit refusals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    /// <summary>The claim carrying a short fingerprint of the key's hash, so a rotated key ends its cookie sessions.</summary>
    public const string FingerprintClaim = "scheduler:key-fingerprint";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'."));
        }

        var identity = keys.Match(header["Bearer ".Length..].Trim());
        return Task.FromResult(identity is null
            ? AuthenticateResult.Fail("The API key is not valid.")
            : AuthenticateResult.Success(new AuthenticationTicket(Principal(identity, SchemeName), SchemeName)));
    }

    /// <summary>The principal of a matched key: its name, role and fingerprint.</summary>
    public static ClaimsPrincipal Principal(ApiKeyIdentity identity, string scheme) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, identity.Name),
            new Claim(ClaimTypes.Role, identity.Role),
            new Claim(FingerprintClaim, identity.Fingerprint),
        ],
        scheme));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        RecordRefusal("refused: no valid API key (401)");
        Response.Headers.WWWAuthenticate = "Bearer";
        return WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            "Send an API key as 'Authorization: Bearer <key>'. Keys are configured as Scheduler:Auth:ApiKeys:<name>:Sha256 and :Role.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        RecordRefusal("refused: needs the operator role (403)");
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "This action needs an API key with the operator role.");
    }

    private void RecordRefusal(string outcome)
    {
        var target = $"{Request.Method} {Request.Path}";
        refusals.Record("api-request", Context.User.Identity?.Name ?? "anonymous", Context.User.FindFirstValue(ClaimTypes.Role) ?? "none",
            target.Length <= 200 ? target : target[..200], Context.Connection.RemoteIpAddress?.ToString() ?? "unknown", outcome);
    }

    private Task WriteProblemAsync(int status, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title).ExecuteAsync(Context);
}
