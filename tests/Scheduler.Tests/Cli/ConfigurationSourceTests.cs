using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Cli;

/// <summary>Where a node's settings come from: a <c>--config</c> file over appsettings.json, secret files for secrets.</summary>
public sealed class ConfigurationSourceTests
{
    private static readonly TimeSpan VerbTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_connection_string_in_a_secret_file_is_used_and_never_needs_the_environment()
    {
        await using var db = await TestDatabase.CreateMigratedAsync("cfg_secret_file");
        var secrets = Directory.CreateTempSubdirectory("scheduler-secrets-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(secrets.FullName, "ConnectionStrings__Scheduler"), db.ConnectionString);
            var env = NodeEnvironment.For(db);
            env.Remove("ConnectionStrings__Scheduler");
            env["SCHEDULER_SECRETS_DIR"] = secrets.FullName;

            await using var validate = await SchedulerProcess.RunAsync(["validate"], env, VerbTimeout);

            Assert.True(validate.ExitCode == 0, validate.Describe());
            Assert.Contains("Database: reachable; schema current", validate.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            secrets.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_config_file_value_wins_over_appsettings_json_and_the_environment_wins_over_both()
    {
        // appsettings.json says DrainTimeout 00:00:30; the file says 00:00:00 (below the 1 s floor: validate must refuse it).
        var file = await WriteConfigAsync("""
            { "Scheduler": {
                "Shutdown": { "DrainTimeout": "00:00:00" },
                "Jobs": { "nightly": { "Type": "heartbeat", "Group": "from-file", "Cron": "0 0 3 * * ?", "TimeZone": "Europe/Berlin" } } } }
            """);
        try
        {
            var env = new Dictionary<string, string?> { ["Scheduler__Jobs__nightly__TimeZone"] = "Asia/Tokyo" };
            await using var fileWins = await SchedulerProcess.RunAsync(["validate", "--config", file, "--offline"], env, VerbTimeout);
            Assert.True(fileWins.ExitCode != 0, fileWins.Describe());
            Assert.Contains("DrainTimeout", fileWins.StandardError, StringComparison.Ordinal);

            env["Scheduler__Shutdown__DrainTimeout"] = "00:00:05";
            await using var envWins = await SchedulerProcess.RunAsync(["validate", "--config", file, "--offline", "--next", "1"], env, VerbTimeout);
            Assert.True(envWins.ExitCode == 0, envWins.Describe());
            Assert.Contains("from-file.nightly (heartbeat, Asia/Tokyo)", envWins.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Validate_offline_needs_no_connection_string_and_never_connects()
    {
        var file = await WriteConfigAsync("""{ "Scheduler": { "Jobs": { "nightly": { "Type": "heartbeat", "Cron": "0 0 3 * * ?" } } } }""");
        try
        {
            // No ConnectionStrings__Scheduler anywhere: the parent's environment is not inherited for this key.
            var env = new Dictionary<string, string?> { ["ConnectionStrings__Scheduler"] = null };
            await using var offline = await SchedulerProcess.RunAsync(["validate", "--config", file, "--offline"], env, VerbTimeout);
            Assert.True(offline.ExitCode == 0, offline.Describe());
            Assert.Contains("Configuration: OK (1 scheduled job(s))", offline.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("Database:", offline.StandardOutput, StringComparison.Ordinal);

            // Online, the same configuration is refused, naming the missing key.
            await using var online = await SchedulerProcess.RunAsync(["validate", "--config", file], env, VerbTimeout);
            Assert.True(online.ExitCode != 0, online.Describe());
            Assert.Contains("ConnectionStrings:Scheduler", online.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_unknown_key_is_named_with_its_entry_and_the_entrys_other_problems_are_still_reported()
    {
        var file = await WriteConfigAsync("""{ "Scheduler": { "Jobs": { "nightly": { "Type": "heartbeat", "Crn": "0 0 3 * * ?", "TimeZone": "Mars/Olympus" } } } }""");
        try
        {
            await using var validate = await SchedulerProcess.RunAsync(["validate", "--config", file, "--offline"], new Dictionary<string, string?>(), VerbTimeout);

            Assert.Equal(1, validate.ExitCode);
            Assert.Contains("Scheduler:Jobs:nightly:Crn: unknown key (did you mean Cron?)", validate.StandardError, StringComparison.Ordinal);
            Assert.Contains("Scheduler:Jobs:nightly:TimeZone: 'Mars/Olympus'", validate.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("ErrorOnUnknownConfiguration", validate.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<string> WriteConfigAsync(string json)
    {
        var file = Path.Combine(Path.GetTempPath(), $"scheduler-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        return file;
    }
}
