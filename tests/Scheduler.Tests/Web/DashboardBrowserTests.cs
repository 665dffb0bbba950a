using Microsoft.Playwright;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary>
/// The dashboard in a real headless browser: Debian's chromium (<c>/usr/bin/chromium</c>, which <c>.ci/run</c> installs)
/// driven by Playwright. Walks every page of a node with failures and hostile values at desktop and phone widths, failing
/// on any console error (a CSP violation is one), script error or dialog, and keeps a screenshot of each page under
/// <c>.local/test-results/screenshots</c>; signs in, reads a job's executions and pauses it from its page.
/// </summary>
public sealed class DashboardBrowserTests(WebNodeFixture fixture, DashboardPagesFixture pages)
    : IClassFixture<WebNodeFixture>, IClassFixture<DashboardPagesFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    private static readonly string Screenshots = Path.Combine(TestEnvironment.RepositoryRoot, ".local", "test-results", "screenshots");

    [Theory]
    [InlineData("desktop", 1280, 800)]
    [InlineData("phone", 390, 844)]
    public async Task Every_page_renders_without_a_console_error_at_desktop_and_phone_widths(string name, int width, int height)
    {
        var broken = await pages.Db.ScalarAsync<string>("SELECT entry_id FROM qrtz_execution_history WHERE job_name = 'broken' LIMIT 1");
        var hostile = await pages.Db.ScalarAsync<string>("SELECT entry_id FROM qrtz_execution_history WHERE job_group = '<b>grp' LIMIT 1");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var problems = Watch(page);
        var node = pages.Node.Address;

        await Visit(page, node, "/login", $"{name}-login", width);
        await page.FillAsync("#key", WebNode.OperatorKey);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(new Uri(node, "/").ToString());
        var hostileJob = DashboardPagesFixture.Hostile;
        (string Path, string Screenshot)[] walk =
        [
            ("/", "overview"), ("/jobs", "jobs"), ("/jobs/pages/broken", "job-broken"),
            ($"/jobs/{Uri.EscapeDataString(hostileJob.Group)}/{Uri.EscapeDataString(hostileJob.Name)}", "job-hostile"),
            ("/history", "history"), ("/history?outcome=failed", "history-failed"), ("/failures", "failures"),
            ($"/executions/{Uri.EscapeDataString(broken)}", "execution-broken"), ($"/executions/{Uri.EscapeDataString(hostile)}", "execution-hostile"),
            ("/audit", "audit"),
        ];
        foreach (var (path, screenshot) in walk)
        {
            await Visit(page, node, path, $"{name}-{screenshot}", width);
        }

        await page.GotoAsync(new Uri(node, "/history?outcome=failed").ToString());
        Assert.True(await page.Locator("#history tr.execution.failed").CountAsync() >= DashboardPagesFixture.BrokenRuns);
        await page.GotoAsync(new Uri(node, "/failures").ToString());
        Assert.Equal(2, await page.Locator("#failure-groups tr.failure-group").CountAsync());
        await page.GotoAsync(new Uri(node, "/").ToString());
        Assert.True(await page.Locator("#runs-chart g.bucket").CountAsync() >= 1, "a bucket of runs on the overview's chart");
        Assert.True(await page.Locator("#node-timeline rect").CountAsync() >= 1, "an execution on the node timeline");
        if (name == "desktop")
        {
            // The live regions refresh in place: no reload, no console error, and the chart is still there afterwards.
            await page.WaitForFunctionAsync("() => document.getElementById('live-status').textContent.startsWith('Updated')",
                null, new PageWaitForFunctionOptions { Timeout = 30_000 });
            Assert.Equal(1, await page.Locator("#runs-chart").CountAsync());
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Pause_all_is_not_sent_without_a_reason_and_a_confirmation()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var problems = Watch(page);
        await SignInAsync(page, "/");
        var form = page.Locator("#scheduler-actions form[action='/scheduler/pause']");

        await form.Locator("button").ClickAsync();
        var reasonMissing = await form.Locator("input[name=reason]").EvaluateAsync<bool>("e => e.validity.valueMissing");
        await form.Locator("input[name=reason]").FillAsync("browser test");
        await form.Locator("button").ClickAsync();
        var confirmMissing = await form.Locator("input[name=confirm]").EvaluateAsync<bool>("e => e.validity.valueMissing");

        Assert.True(reasonMissing);
        Assert.True(confirmMissing);
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM scheduler_audit WHERE action = 'pause-all'"));
        Assert.Equal(0L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM qrtz_paused_trigger_grps"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task An_operator_signs_in_sees_a_jobs_executions_and_pauses_it()
    {
        await Poll.UntilAsync(async () => await fixture.Db.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'beat'") >= 2, TimeSpan.FromSeconds(20), "executions to show");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });
        var problems = Watch(page);

        await page.GotoAsync(new Uri(fixture.Node.Address, "/jobs/web/beat").ToString());
        Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.FillAsync("#key", WebNode.OperatorKey);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync("**/jobs/web/beat");

        var rows = await page.Locator("#executions tr.execution").CountAsync();
        Assert.True(rows >= 2, $"{rows} execution rows");
        Assert.Equal("succeeded", (await page.Locator("#executions tr.execution .badge").First.InnerTextAsync()).Trim());
        Assert.True(await page.Locator("#duration-chart rect").CountAsync() >= 2);
        Assert.Equal(["succeeded", "failed", "cancelled", "skipped"], await page.Locator("figcaption .legend li").AllInnerTextsAsync());

        await page.Locator("#job-actions form[action$='/pause'] input[name=reason]").FillAsync("browser test");
        await page.Locator("#job-actions form[action$='/pause'] button").ClickAsync();
        await page.WaitForSelectorAsync(".notice");

        Assert.Contains("Paused web.beat", await page.InnerTextAsync(".notice"), StringComparison.Ordinal);
        Assert.Equal("Paused", (await page.InnerTextAsync("#job-state")).Trim());
        Assert.Equal("PAUSED", await fixture.Db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'beat-trigger'"));
        Assert.Equal(("test-operator", "browser test"), (await fixture.Db.ListAsync(
            "SELECT actor, reason FROM scheduler_audit WHERE action = 'pause-job'", r => (r.GetString(0), r.GetString(1)))).Single());
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does.");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>Console errors (CSP violations among them), uncaught script errors and dialogs: none is expected on any page.</summary>
    private static List<string> Watch(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add($"console {message.Type} on {page.Url}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Add($"{page.Url}: script error: {error}");
        page.Dialog += (_, dialog) =>
        {
            problems.Add($"{page.Url}: dialog: {dialog.Message}");
            _ = dialog.DismissAsync();
        };
        return problems;
    }

    private async Task SignInAsync(IPage page, string path)
    {
        await page.GotoAsync(new Uri(fixture.Node.Address, path).ToString());
        await page.FillAsync("#key", WebNode.OperatorKey);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync(new Uri(fixture.Node.Address, path).ToString());
    }

    private static async Task Visit(IPage page, Uri node, string path, string screenshot, int width)
    {
        var response = await page.GotoAsync(new Uri(node, path).ToString());
        Assert.True(response?.Ok, $"{path}: {response?.Status}");
        Assert.False(string.IsNullOrWhiteSpace(await page.Locator("h1").InnerTextAsync()), $"{path}: a heading");
        // Wide tables scroll inside their own box; the page itself never scrolls sideways.
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{path} is {overflow} px wider than the {width} px viewport");
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, screenshot + ".png"), FullPage = true });
    }
}
