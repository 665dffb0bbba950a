using System.Globalization;
using System.Text.Encodings.Web;

namespace Scheduler.Web.Dashboard;

/// <summary>Encoding and formatting for the server-rendered pages. Every value from the store or the request goes through <see cref="E"/>.</summary>
internal static class Html
{
    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? "");

    public static string U(string value) => Uri.EscapeDataString(value);

    public static string Time(DateTimeOffset? value) =>
        value is { } v ? $"<time datetime=\"{v.UtcDateTime:o}\">{v.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z</time>" : "—";

    public static string Ms(double? value) => value is { } v ? v.ToString(v < 10 ? "0.0" : "0", CultureInfo.InvariantCulture) + " ms" : "—";

    public static string Badge(string? state)
    {
        var css = (state ?? "").ToLowerInvariant() switch
        {
            "failed" or "error" => "bad",
            "paused" or "overdue" or "cancelled" or "blocked" => "warn",
            "succeeded" or "normal" or "alive" or "completed" => "ok",
            _ => "muted",
        };
        return $"<span class=\"badge {css}\">{E(state)}</span>";
    }

    public static string JobLink(string group, string name) =>
        $"<a href=\"/jobs/{U(group)}/{U(name)}\">{E(group)}.{E(name)}</a>";

    /// <summary>A POST form with the antiforgery token, a single button, and optionally a reason field.</summary>
    public static string ActionForm(string action, string label, string token, bool withReason = false, string css = "") =>
        $"""
        <form method="post" action="{E(action)}" class="inline">
          <input type="hidden" name="__RequestVerificationToken" value="{E(token)}">
          {(withReason ? "<input type=\"text\" name=\"reason\" placeholder=\"reason\" maxlength=\"500\">" : "")}
          <button type="submit" class="{css}">{E(label)}</button>
        </form>
        """;
}
