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
        var file = Path.Combine(Path.GetTempPath(), $"scheduler-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "Scheduler": { "Jobs": { "heartbeat": { "Group": "from-file", "TimeZone": "Europe/Berlin" } } } }""");
        try
        {
            var env = new Dictionary<string, string?>
            {
                ["ConnectionStrings__Scheduler"] = "Host=unused",
                ["Scheduler__Jobs__heartbeat__TimeZone"] = "Asia/Tokyo",
            };
            await using var validate = await SchedulerProcess.RunAsync(["validate", "--config", file, "--offline", "--next", "1"], env, VerbTimeout);

            Assert.True(validate.ExitCode == 0, validate.Describe());
            // appsettings.json says Group "samples" and TimeZone UTC; the file says otherwise; the environment says Asia/Tokyo.
            Assert.Contains("from-file.heartbeat (heartbeat, Asia/Tokyo)", validate.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
