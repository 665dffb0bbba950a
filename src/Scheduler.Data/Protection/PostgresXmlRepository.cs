using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace Scheduler.Data.Protection;

/// <summary>
/// Keeps ASP.NET Core's data-protection key ring in <c>scheduler_dataprotection_keys</c> (sql/0010), so every node
/// reads the cookies and antiforgery tokens any node issued, and a restarted node keeps its users signed in.
/// ASP.NET Core calls this rarely (at start, and when it meets a key it does not know), and synchronously.
/// </summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource dataSource) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var command = dataSource.CreateCommand("SELECT xml FROM scheduler_dataprotection_keys ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var command = dataSource.CreateCommand(
            "INSERT INTO scheduler_dataprotection_keys (friendly_name, xml) VALUES (@name, @xml)");
        command.Parameters.AddWithValue("name", friendlyName);
        command.Parameters.AddWithValue("xml", element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
