using static Scheduler.Web.Dashboard.Html;

namespace Scheduler.Web.Dashboard;

/// <summary>The page shell: navigation, who is signed in, the notice of the last action, and a self-refresh that waits while a form is being filled.</summary>
internal static class Layout
{
    public static string Page(string title, string body, PageContext page, bool refresh = true) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{E(title)}} · Scheduler</title>
        <style>{{Css}}</style>
        </head>
        <body>
        <header>
          <nav>
            <a href="/" class="brand">Scheduler</a>
            <a href="/">Overview</a>
            <a href="/jobs">Jobs</a>
            <a href="/failures">Failures</a>
            <a href="/audit">Audit</a>
          </nav>
          {{(page.User is null ? "" : $"<div class=\"who\">{E(page.User)} ({E(page.Role)}) {ActionForm("/logout", "Sign out", page.Token)}</div>")}}
        </header>
        <main>
        {{(page.Notice is null ? "" : $"<p class=\"notice\" role=\"status\">{E(page.Notice)}</p>")}}
        <h1>{{E(title)}}</h1>
        {{body}}
        </main>
        {{(refresh ? RefreshScript : "")}}
        </body>
        </html>
        """;

    /// <summary>
    /// The page's only script: reload every 10 s unless a form is being filled. The Content-Security-Policy allows exactly
    /// this text by its SHA-256, so it must stay byte-for-byte what sits between the tags.
    /// </summary>
    internal const string RefreshScriptBody =
        "setInterval(function () { var typing = document.activeElement && document.activeElement.tagName === 'INPUT'; " +
        "var filled = Array.prototype.some.call(document.querySelectorAll('input[type=text]'), function (i) { return i.value; }); " +
        "if (!typing && !filled) { location.reload(); } }, 10000);";

    private const string RefreshScript = "<script>" + RefreshScriptBody + "</script>";

    private const string Css = """
        body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
        header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;background:#24292f;color:#fff;padding:.5rem 1rem}
        header a{color:#fff;margin-right:1rem;text-decoration:none}.brand{font-weight:700}
        .who{font-size:.9rem}main{padding:1rem;max-width:1200px;margin:auto}
        h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:1.5rem}
        .scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
        th,td{padding:.35rem .5rem;border-bottom:1px solid #d0d7de;text-align:left;vertical-align:top}
        .badge{padding:.1rem .4rem;border-radius:.6rem;font-size:.8rem;background:#eaeef2}
        .ok{background:#dafbe1}.bad{background:#ffebe9}.warn{background:#fff8c5}.muted{background:#eaeef2}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:.75rem}
        .card{background:#fff;border:1px solid #d0d7de;border-radius:.4rem;padding:.75rem}.card b{font-size:1.5rem;display:block}
        form.inline{display:inline-flex;gap:.25rem;margin:.1rem}input,button,select{font-size:.9rem;padding:.3rem}
        button{cursor:pointer}button.danger{background:#ffebe9}.notice{background:#ddf4ff;padding:.5rem;border-radius:.3rem}
        pre{background:#fff;border:1px solid #d0d7de;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
        progress{width:8rem}svg{background:#fff;border:1px solid #d0d7de;max-width:100%}
        @media (max-width:600px){th,td{padding:.25rem}header nav a{margin-right:.5rem}}
        """;
}
