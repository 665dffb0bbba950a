namespace Scheduler.Bench.Workloads;

public sealed class FailoverWorkload : IWorkload
{
    public string Name => "failover";

    public Task RunAsync(BenchContext context) => throw new WorkloadFailedException("not yet");
}
