namespace Scheduler.Tests.Data;

/// <summary>Npgsql is Scheduler.Data's business: the other layers reach the database only through its types.</summary>
public sealed class DataBoundaryTests
{
    [Fact]
    public void Scheduler_Core_does_not_reference_Npgsql_and_reaches_the_database_only_through_Scheduler_Data()
    {
        var core = typeof(Scheduler.Core.Schedules.ScheduleReconciler).Assembly;

        var references = core.GetReferencedAssemblies().Select(a => a.Name).ToList();

        Assert.DoesNotContain("Npgsql", references);
        Assert.Contains("Scheduler.Data", references);
    }

    [Fact]
    public void Scheduler_Web_does_not_reference_Npgsql_either()
    {
        var web = typeof(Scheduler.Web.WebOptions).Assembly;

        Assert.DoesNotContain("Npgsql", web.GetReferencedAssemblies().Select(a => a.Name));
    }
}
