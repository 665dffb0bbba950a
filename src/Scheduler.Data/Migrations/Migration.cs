namespace Scheduler.Data.Migrations;

/// <summary>One numbered file of <c>sql/</c>, as shipped inside the binary.</summary>
/// <param name="Version">The number the file name starts with (<c>0003_x.sql</c> is 3); unique.</param>
/// <param name="Name">The file name, e.g. <c>0003_quartz_history.sql</c>.</param>
/// <param name="Sql">The file's text with line endings normalised to LF.</param>
/// <param name="Checksum">Lower-case hex SHA-256 of <paramref name="Sql"/> as UTF-8.</param>
public sealed record Migration(int Version, string Name, string Sql, string Checksum)
{
    /// <summary>The samples module: <c>sql/0100</c>–<c>0199</c>.</summary>
    public const int SamplesModule = 1;

    /// <summary>
    /// Which module the file belongs to: 0 for the core schema (0001–0099, always applied), N for the optional module
    /// numbered N00–N99, applied only when asked (<c>migrate --with-samples</c>) or once one of its files is applied.
    /// </summary>
    public int Module => Version / 100;
}
