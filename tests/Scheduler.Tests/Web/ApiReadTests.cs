using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Web;

public sealed class ApiReadTests(WebNodeFixture fixture) : IClassFixture<WebNodeFixture>
{
    private readonly HttpClient viewer = fixture.Node.Client(WebNode.ViewerKey);

    [Fact]
    public async Task Nodes_lists_this_node_alive_with_its_version()
    {
        var nodes = await GetAsync("/api/nodes");

        var node = Assert.Single(nodes.EnumerateArray());
        Assert.Equal("web-node-1", node.GetProperty("instanceId").GetString());
        Assert.Equal("alive", node.GetProperty("state").GetString());
        Assert.True(node.GetProperty("isAnsweringNode").GetBoolean());
        Assert.False(string.IsNullOrEmpty(node.GetProperty("version").GetString()));
        Assert.True(node.GetProperty("lastCheckInUtc").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddSeconds(-30));
    }

    [Fact]
    public async Task Jobs_are_filtered_by_group_name_and_state_and_paged()
    {
        var all = await GetAsync("/api/jobs?take=2");
        var web = await GetAsync("/api/jobs?group=web");
        var named = await GetAsync("/api/jobs?name=idl");
        var normal = await GetAsync("/api/jobs?state=normal&group=web");

        Assert.Equal(3, all.GetProperty("total").GetInt32());
        Assert.Equal(2, all.GetProperty("items").GetArrayLength());
        Assert.True(all.GetProperty("hasMore").GetBoolean());
        Assert.Equal(["beat", "idle"], Names(web));
        Assert.Equal(["idle"], Names(named));
        Assert.Equal(["beat", "idle"], Names(normal));
        var second = await GetAsync("/api/jobs?take=2&skip=2");
        Assert.False(second.GetProperty("hasMore").GetBoolean());
        Assert.Single(second.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task A_job_shows_its_trigger_with_times_in_utc_and_in_the_trigger_zone()
    {
        var job = await GetAsync("/api/jobs/web/idle");

        var trigger = Assert.Single(job.GetProperty("triggers").EnumerateArray());
        Assert.Equal("0 0 3 1 1 ?", trigger.GetProperty("cron").GetString());
        Assert.Equal("Europe/Paris", trigger.GetProperty("timeZone").GetString());
        var utc = trigger.GetProperty("nextFireUtc").GetDateTimeOffset();
        var local = trigger.GetProperty("nextFireLocal").GetDateTimeOffset();
        Assert.Equal(utc, local);
        Assert.Equal(TimeSpan.FromHours(1), local.Offset);
        Assert.Equal(3, local.Hour);
        Assert.Equal(utc, job.GetProperty("upcomingFireTimesUtc")[0].GetDateTimeOffset());
        Assert.Equal("fires next year", job.GetProperty("summary").GetProperty("description").GetString());
    }

    [Theory]
    [InlineData("/api/jobs/web/nope")]
    [InlineData("/api/jobs/nope/idle/statistics")]
    [InlineData("/api/executions/no-such-entry")]
    public async Task Unknown_keys_are_404_problems(string path)
    {
        var response = await viewer.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/jobs?take=0", "take")]
    [InlineData("/api/jobs?take=501", "take")]
    [InlineData("/api/jobs?skip=-1", "skip")]
    [InlineData("/api/jobs?state=sleepy", "state")]
    [InlineData("/api/triggers?state=4", "state")]
    [InlineData("/api/executions?outcome=exploded", "outcome")]
    [InlineData("/api/executions?from=yesterday", "from")]
    [InlineData("/api/executions?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from")]
    [InlineData("/api/jobs/web/beat/statistics?window=5y", "window")]
    [InlineData("/api/jobs/web/beat/statistics?window=91d", "window")]
    [InlineData("/api/cron?expression=0+0+25+*+*+%3F", "expression")]
    [InlineData("/api/cron?expression=0+0+*+*+*+%3F&timeZone=Mars/Olympus", "timeZone")]
    [InlineData("/api/occurrences?state=lost", "state")]
    [InlineData("/api/jobs?take=abc", "take")]
    public async Task Bad_input_is_a_400_problem_naming_the_parameter(string path, string parameter)
    {
        var response = await viewer.GetAsync(new Uri(path, UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(parameter, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_over_200_characters_is_refused()
    {
        var response = await viewer.GetAsync(new Uri($"/api/jobs/web/{new string('n', 201)}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Injection_looking_names_are_stored_listed_and_read_as_plain_data()
    {
        var escaped = $"/api/jobs/{Uri.EscapeDataString(WebNodeFixture.Odd.Group)}/{Uri.EscapeDataString(WebNodeFixture.Odd.Name)}";
        var listed = await GetAsync($"/api/jobs?name={Uri.EscapeDataString("DROP TABLE")}");
        var detail = await GetAsync(escaped);
        var executions = await GetAsync($"/api/executions?group=web&job={Uri.EscapeDataString("' OR 1=1 --")}");

        Assert.Equal([WebNodeFixture.Odd.Name], Names(listed));
        Assert.Equal(WebNodeFixture.Odd.Name, detail.GetProperty("summary").GetProperty("name").GetString());
        Assert.Empty(executions.GetProperty("items").EnumerateArray());
        Assert.Equal(1, await fixture.Db.ScalarAsync<int>("SELECT count(*) FROM pg_tables WHERE tablename = 'qrtz_triggers'"));
    }

    [Fact]
    public async Task Executions_statistics_and_misfires_read_the_history()
    {
        await Poll.UntilAsync(async () => (await GetAsync("/api/executions?group=web&job=beat&take=5")).GetProperty("items").GetArrayLength() >= 3,
            TimeSpan.FromSeconds(20), "three executions of web.beat");

        var executions = await GetAsync("/api/executions?group=web&job=beat&outcome=succeeded&take=3");
        var items = executions.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(3, items.Count);
        Assert.All(items, e => Assert.Equal(("beat", "succeeded", "web-node-1"),
            (e.GetProperty("jobName").GetString(), e.GetProperty("result").GetString(), e.GetProperty("node").GetString())));
        Assert.Empty((await GetAsync("/api/executions?group=web&job=beat&outcome=failed")).GetProperty("items").EnumerateArray());
        Assert.Empty((await GetAsync("/api/executions?group=web&job=beat&node=other-node")).GetProperty("items").EnumerateArray());

        var one = await GetAsync($"/api/executions/{items[0].GetProperty("entryId").GetString()}");
        Assert.Equal(items[0].GetProperty("fireInstanceId").GetString(), one.GetProperty("fireInstanceId").GetString());

        var stats = await GetAsync("/api/jobs/web/beat/statistics?window=1h");
        Assert.True(stats.GetProperty("runs").GetInt64() >= 3);
        Assert.Equal(1.0, stats.GetProperty("successRate").GetDouble());
        Assert.True(stats.GetProperty("durationP50Ms").GetDouble() >= 0);
        Assert.True(stats.GetProperty("lateness").GetProperty("occurrences").GetInt64() >= 3);
        Assert.True(stats.GetProperty("lateness").GetProperty("p99Ms").GetDouble() >= 0);

        var misfires = await viewer.GetAsync(new Uri("/api/misfires?group=web&job=beat", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, misfires.StatusCode);
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        var response = await viewer.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static string[] Names(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("name").GetString()!)];
}
