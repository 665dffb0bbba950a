using System.Globalization;
using Npgsql;
using Scheduler.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"scheduler-bench: error: {e.Message}");
    return 2;
}

await using var dataSource = NpgsqlDataSource.Create(options.Connection);
var context = new BenchContext(options, new BenchDatabase(dataSource), new BenchResults(), TimeProvider.System);
var failures = await new BenchRunner(context).RunAsync();
return failures == 0 ? 0 : 1;
