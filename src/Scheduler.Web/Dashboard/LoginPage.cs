using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary><c>/login</c>: sign in with an API key; the dashboard then keeps an HttpOnly, SameSite=Strict cookie.</summary>
internal static class LoginPage
{
    public static string Render(string token, string? returnUrl, string? error) => Layout.Page("Sign in", $"""
        {(error is null ? "" : $"<p class=\"notice\" id=\"login-error\">{E(error)}</p>")}
        <form method="post" action="/login">
          <input type="hidden" name="__RequestVerificationToken" value="{E(token)}">
          <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
          <p><label>API key <input type="password" name="key" id="key" autocomplete="current-password" required maxlength="512"></label></p>
          <p><button type="submit" id="sign-in">Sign in</button></p>
        </form>
        <p><small>Create a key with <code>scheduler apikey new --role viewer</code> and configure its hash on every node.</small></p>
        """, new PageContext(null, null, token, null), refresh: false);
}
