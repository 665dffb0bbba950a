using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Scheduler.Data.Migrations;

/// <summary>The migrations this binary ships: every <c>sql/NNNN_name.sql</c> embedded at build time, in version order.</summary>
public static partial class MigrationCatalog
{
    private const string ResourcePrefix = "sql/";

    /// <summary>All shipped migrations, ordered by version.</summary>
    public static IReadOnlyList<Migration> All { get; } = Load();

    /// <summary>The core schema (module 0): what every node needs; optional modules such as the samples are not in it.</summary>
    public static IReadOnlyList<Migration> Core { get; } = All.Where(m => m.Module == 0).ToList();

    /// <summary>Parses a migration from its file name and text; the file name must look like <c>0001_name.sql</c>.</summary>
    /// <exception cref="InvalidOperationException">The name does not start with a version number.</exception>
    public static Migration Parse(string fileName, string text)
    {
        var match = FileNamePattern().Match(fileName);
        if (!match.Success)
        {
            throw new InvalidOperationException(
                $"Migration file '{fileName}' is not named NNNN_description.sql.");
        }

        var sql = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        var version = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return new Migration(version, fileName, sql, Sha256Hex(sql));
    }

    /// <summary>Lower-case hex SHA-256 of the text as UTF-8: what <c>sha256sum</c> prints for an LF file.</summary>
    public static string Sha256Hex(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static List<Migration> Load()
    {
        var assembly = typeof(MigrationCatalog).Assembly;
        var migrations = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(n => Parse(n[ResourcePrefix.Length..], ReadResource(assembly, n)))
            .OrderBy(m => m.Version)
            .ToList();

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two migrations share version {duplicate.Key}: {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded migration '{name}' is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^(\d{4})_[A-Za-z0-9_\-]+\.sql$")]
    private static partial Regex FileNamePattern();
}
