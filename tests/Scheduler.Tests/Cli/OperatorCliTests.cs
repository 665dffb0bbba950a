using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cli;

/// <summary>The operator verbs run as the real binary against the database, and read what the API reads.</summary>
public sealed class OperatorCliTests(WebNodeFixture fixture) : IClassFixture<WebNodeFixture>
{
    private static readonly TimeSpan VerbTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Jobs_json_is_what_the_api_lists()
    {
        using var api = fixture.Node.Client(WebNode.ViewerKey);

        var cli = await RunAsync("jobs", "--group", "odd group", "--json");
        var fromApi = await api.GetStringAsync(new Uri("/api/jobs?group=odd%20group&take=500", UriKind.Relative));

        Assert.Equal(0, cli.ExitCode);
        Assert.True(JsonNode.DeepEquals(Items(fromApi), Items(cli.StandardOutput)), $"CLI:\n{cli.StandardOutput}\nAPI:\n{fromApi}");
        Assert.Contains(WebNodeFixture.Odd.Name, cli.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_json_lists_the_executions_the_api_lists()
    {
        using var api = fixture.Node.Client(WebNode.ViewerKey);
        await Poll.UntilAsync(async () => (await fixture.Db.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'beat'")) >= 2, TimeSpan.FromSeconds(20), "two beats");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("o");

        var cli = await RunAsync("history", "--job", "web.beat", "--since", "1h", "--take", "500", "--json");
        var fromApi = await api.GetStringAsync(new Uri($"/api/executions?group=web&job=beat&take=500&to={Uri.EscapeDataString(before)}", UriKind.Relative));

        Assert.Equal(0, cli.ExitCode);
        var cliIds = EntryIds(cli.StandardOutput);
        var apiIds = EntryIds(fromApi);
        Assert.NotEmpty(apiIds);
        Assert.Superset(apiIds.ToHashSet(), cliIds.ToHashSet());
        var failed = await RunAsync("history", "--failed", "--json");
        Assert.Empty(EntryIds(failed.StandardOutput));
    }

    [Fact]
    public async Task Pause_and_resume_from_the_cli_are_audited_as_the_os_user_and_seen_by_the_api()
    {
        using var api = fixture.Node.Client(WebNode.ViewerKey);

        var pause = await RunAsync("pause", "web/idle", "--reason", "cli maintenance");
        var trigger = JsonDocument.Parse(await api.GetStringAsync(new Uri("/api/triggers?group=web&name=idle-trigger", UriKind.Relative)))
            .RootElement.GetProperty("items")[0];
        var resume = await RunAsync("resume", "web.idle");

        Assert.Equal((0, 0), (pause.ExitCode, resume.ExitCode));
        Assert.Equal("Paused", trigger.GetProperty("state").GetString());
        Assert.Equal(Environment.UserName, trigger.GetProperty("pause").GetProperty("requestedBy").GetString());
        Assert.Equal("WAITING", await fixture.Db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'idle-trigger'"));
        var audit = await fixture.Db.ListAsync(
            "SELECT actor, role, action, source FROM scheduler_audit WHERE target = 'web.idle' AND action LIKE '%-job' ORDER BY id",
            r => (r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        Assert.Equal(
            [(Environment.UserName, "cli", "pause-job", $"cli:{Environment.MachineName}"), (Environment.UserName, "cli", "resume-job", $"cli:{Environment.MachineName}")],
            audit);
    }

    [Fact]
    public async Task Trigger_from_the_cli_is_fired_by_the_running_node()
    {
        var trigger = await RunAsync("trigger", "web.idle", "--data", "workMs=1", "--reason", "manual check");

        Assert.Equal(0, trigger.ExitCode);
        await Poll.UntilAsync(async () => await fixture.Db.ScalarAsync<long>(
            "SELECT count(*) FROM qrtz_execution_history WHERE job_name = 'idle'") >= 1, TimeSpan.FromSeconds(45), "the node to fire the CLI's trigger");
    }

    [Fact]
    public async Task Refusals_exit_2_with_the_reason_and_change_nothing()
    {
        var reset = await RunAsync("reset", "web.idle-trigger");
        var unknown = await RunAsync("pause", "web.ghost");
        var badState = await RunAsync("jobs", "--state", "sleepy");

        Assert.Equal((2, 2, 2), (reset.ExitCode, unknown.ExitCode, badState.ExitCode));
        Assert.Contains("not in ERROR", reset.StandardError, StringComparison.Ordinal);
        Assert.Contains("No job 'web.ghost'", unknown.StandardError, StringComparison.Ordinal);
        Assert.Contains("'state'", badState.StandardError, StringComparison.Ordinal);
        Assert.Equal("WAITING", await fixture.Db.ScalarAsync<string>("SELECT trigger_state FROM qrtz_triggers WHERE trigger_name = 'idle-trigger'"));
    }

    [Fact]
    public async Task Status_lists_the_running_node_and_not_itself()
    {
        var table = await RunAsync("status");
        var json = JsonDocument.Parse((await RunAsync("status", "--json")).StandardOutput).RootElement;

        Assert.Equal(0, table.ExitCode);
        Assert.Contains("web-node-1", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("alive", table.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(["web-node-1"], json.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("instanceId").GetString()));
    }

    [Fact]
    public async Task Apikey_new_prints_a_key_and_the_two_lines_a_node_accepts()
    {
        var run = await SchedulerProcess.RunAsync(["apikey", "new", "--role", "viewer", "--name", "ci"], new Dictionary<string, string?>(), VerbTimeout);
        var lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var key = lines[1].TrimStart('#', ' ');
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var refused = await SchedulerProcess.RunAsync(["apikey", "new", "--role", "admin"], new Dictionary<string, string?>(), VerbTimeout);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal($"Scheduler__Auth__ApiKeys__ci__Sha256={hash}", lines[2]);
        Assert.Equal("Scheduler__Auth__ApiKeys__ci__Role=viewer", lines[3]);
        Assert.True(key.Length >= 40);
        Assert.Equal(2, refused.ExitCode);

        await using var db = await TestDatabase.CreateMigratedAsync("apikey");
        await using var node = await WebNode.StartAsync(db, "apikey-node", new Dictionary<string, string?>
        {
            ["Scheduler:Auth:ApiKeys:ci:Sha256"] = hash,
            ["Scheduler:Auth:ApiKeys:ci:Role"] = "viewer",
        });
        using var client = node.Client(key);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/jobs", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task A_malformed_key_entry_stops_validate_naming_the_key()
    {
        var run = await SchedulerProcess.RunAsync(["validate", "--offline"], new Dictionary<string, string?>
        {
            ["ConnectionStrings__Scheduler"] = fixture.Db.ConnectionString,
            ["Scheduler__Auth__ApiKeys__ci__Sha256"] = "not-hex",
            ["Scheduler__Auth__ApiKeys__ci__Role"] = "admin",
        }, VerbTimeout);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Scheduler:Auth:ApiKeys:ci:Sha256 must be the 64 hex digits", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("Scheduler:Auth:ApiKeys:ci:Role is 'admin'", run.StandardError, StringComparison.Ordinal);
    }

    /// <summary>Runs a verb to its end; the process has exited, so there is nothing left to dispose but the handle.</summary>
    private Task<SchedulerProcess> RunAsync(params string[] args) =>
        SchedulerProcess.RunAsync(args, new Dictionary<string, string?> { ["ConnectionStrings__Scheduler"] = fixture.Db.ConnectionString }, VerbTimeout);

    private static JsonNode? Items(string json) => JsonNode.Parse(json)!["items"];

    private static List<string> EntryIds(string json) =>
        [.. JsonDocument.Parse(json).RootElement.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("entryId").GetString()!)];
}
