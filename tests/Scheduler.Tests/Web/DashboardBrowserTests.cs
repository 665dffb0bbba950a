using Microsoft.Playwright;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

/// <summary>
/// The dashboard in a real headless browser: Debian's chromium (<c>/usr/bin/chromium</c>, which <c>.ci/run</c> installs)
/// driven by Playwright. Signs in with a key, reads a job's executions, pauses it from its page.
/// </summary>
public sealed class DashboardBrowserTests(WebNodeFixture fixture) : IClassFixture<WebNodeFixture>
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task An_operator_signs_in_sees_a_jobs_executions_and_pauses_it()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does.");
        await Poll.UntilAsync(async () => await fixture.Db.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'beat'") >= 2, TimeSpan.FromSeconds(20), "executions to show");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 } });

        await page.GotoAsync(new Uri(fixture.Node.Address, "/jobs/web/beat").ToString());
        Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await page.FillAsync("#key", WebNode.OperatorKey);
        await page.ClickAsync("#sign-in");
        await page.WaitForURLAsync("**/jobs/web/beat");

        var rows = await page.Locator("#executions tr.execution").CountAsync();
        Assert.True(rows >= 2, $"{rows} execution rows");
        Assert.Equal("succeeded", (await page.Locator("#executions tr.execution .badge").First.InnerTextAsync()).Trim());
        Assert.True(await page.Locator("#duration-chart rect").CountAsync() >= 2);

        await page.Locator("#job-actions form[action$='/pause'] input[name=reason]").FillAsync("browser test");
        await page.Locator("#job-actions form[action$='/pause'] button").ClickAsync();
        await page.WaitForSelectorAsync(".notice");

        Assert.Contains("Paused web.beat", await page.InnerTextAsync(".notice"), StringComparison.Ordinal);
        Assert.Equal("Paused", (await page.InnerTextAsync("#job-state")).Trim());
        Assert.Equal("PAUSED", await fixture.Db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'beat-trigger'"));
        Assert.Equal(("test-operator", "browser test"), (await fixture.Db.ListAsync(
            "SELECT actor, reason FROM scheduler_audit WHERE action = 'pause-job'", r => (r.GetString(0), r.GetString(1)))).Single());
    }
}
