using System.Globalization;
using Scheduler.Core.Schedules;
using Scheduler.Jobs.Heartbeat;
using Scheduler.Jobs.Http;
using Scheduler.Jobs.Sql;

namespace Scheduler.Jobs;

/// <summary>The job types configuration can name in <c>Scheduler:Jobs:&lt;name&gt;:Type</c>.</summary>
public static class ShippedJobKinds
{
    /// <summary>
    /// The built-in kinds — <c>sql</c> and <c>http</c> with their own entry keys, <c>heartbeat</c> — and every public
    /// <c>IJob</c> of this assembly by class name — with the services they need (<see cref="JobsServiceCollectionExtensions"/>).
    /// </summary>
    public static JobKindRegistry Create() => new JobKindRegistry()
        .Add(new JobKind("sql", typeof(SqlJob), SqlData, SqlJobData.Validate, SqlJobData.Keys))
        .Add(new JobKind("http", typeof(HttpJob), HttpData, HttpJobData.Validate, HttpJobData.Keys))
        .Add(new JobKind("heartbeat", typeof(HeartbeatJob)))
        .AddJobsOf(typeof(ShippedJobKinds).Assembly)
        .WithServices(services => services.AddSchedulerJobServices());

    private static Dictionary<string, string> SqlData(JobDefinition d)
    {
        var data = new Dictionary<string, string>();
        Put(data, SqlJobData.SqlKey, d.Sql);
        Put(data, SqlJobData.ConnectionKey, d.Connection);
        Put(data, SqlJobData.StatementTimeoutKey, d.Timeout?.ToString("c", CultureInfo.InvariantCulture));
        return data;
    }

    private static Dictionary<string, string> HttpData(JobDefinition d)
    {
        var data = new Dictionary<string, string>();
        Put(data, HttpJobData.UrlKey, d.Url);
        Put(data, HttpJobData.MethodKey, d.Method);
        Put(data, HttpJobData.HeadersKey, d.Headers.Count > 0 ? HttpJobData.SerializeHeaders(d.Headers) : null);
        Put(data, HttpJobData.BodyKey, d.Body);
        Put(data, HttpJobData.ExpectedStatusKey, d.ExpectedStatus);
        Put(data, HttpJobData.TimeoutKey, d.Timeout?.ToString("c", CultureInfo.InvariantCulture));
        return data;
    }

    private static void Put(Dictionary<string, string> data, string key, string? value)
    {
        if (value is not null)
        {
            data[key] = value;
        }
    }
}
