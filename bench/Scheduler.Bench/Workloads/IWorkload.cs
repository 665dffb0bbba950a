namespace Scheduler.Bench.Workloads;

/// <summary>One benchmark: starts what it needs, measures, adds its section and rows to the results, and stops what it started.</summary>
public interface IWorkload
{
    string Name { get; }

    /// <exception cref="WorkloadFailedException">The workload did not complete (no executions, a node died, a tool failed).</exception>
    Task RunAsync(BenchContext context);
}
