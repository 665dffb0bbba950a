using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Scheduler.Core.Schedules;
using Scheduler.Jobs;
using Scheduler.Tests.Infrastructure;

namespace Scheduler.Tests.Docs;

/// <summary>
/// README's code is compiled: every block after a <c>&lt;!-- README example: PATH --&gt;</c> marker is the file at PATH,
/// whole, so the class, its table, its entry and its test shown there are the ones the build and the suite run.
/// </summary>
public sealed partial class ReadmeExampleTests
{
    private static readonly string Readme = Normalize(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "README.md")));

    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (Match m in Marker().Matches(Readme))
        {
            data.Add(m.Groups["path"].Value);
        }

        return data;
    }

    [Fact]
    public void README_shows_the_worked_example_from_its_files()
    {
        Assert.Equal(
            ["src/Scheduler.Jobs/Examples/ExpireSessionsJob.cs", "sql/0101_example_sessions.sql", "config/examples/expire-sessions.json",
             "tests/Scheduler.Tests/Jobs/Examples/ExpireSessionsJobTests.cs"],
            Marker().Matches(Readme).Select(m => m.Groups["path"].Value));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Each_README_example_is_its_file_whole(string path)
    {
        var match = Marker().Matches(Readme).Single(m => m.Groups["path"].Value == path);
        var indent = match.Groups["indent"].Value;
        var shown = string.Join('\n', match.Groups["code"].Value.TrimEnd('\n').Split('\n')
            .Select(line => line.StartsWith(indent, StringComparison.Ordinal) ? line[indent.Length..] : line.TrimStart()));
        var file = Normalize(File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, path))).TrimEnd('\n');

        Assert.Equal(file, shown);
    }

    [Fact]
    public void The_example_entry_validates_against_the_shipped_job_kinds()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(TestEnvironment.RepositoryRoot, "config", "examples", "expire-sessions.json"), optional: false)
            .Build();
        var (definitions, problems) = ScheduleReader.Read(configuration);

        Assert.Empty(problems);
        Assert.Equal("expire_sessions", Assert.Single(definitions).Name);
        Assert.Empty(new ScheduleValidator(ShippedJobKinds.Create()).Validate(definitions));
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<indent>[ ]*)<!-- README example: (?<path>\S+) -->\n[ ]*```\w*\n(?<code>.*?)\n[ ]*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex Marker();
}
